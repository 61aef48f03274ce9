/**
 * The screens no other console spec passes through, pictured at tablet and phone size, and the
 * guard that sends someone to sign in (or tells them they are in the wrong place).
 */
import { test, expect } from "@playwright/test";
import { demo } from "../support/api.js";
import { stack } from "../support/stack.js";
import { consoleAs, shoot, sizes } from "./console-ui.js";

test("home, sign-in, and the role guard", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: stack().consoleUrl, viewport: sizes.tablet, locale: "ko-KR" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "어떤 일을 하시나요?" })).toBeVisible();
  await shoot(page, "home");

  // Signed out, an area sends you to sign in and back.
  await page.goto("/shop");
  await expect(page).toHaveURL(/\/login\?next=%2Fshop/);
  await page.getByLabel("이메일").fill(demo.fishOwner);
  await page.getByLabel("비밀번호").fill("wrong-password");
  await page.getByRole("button", { name: "로그인", exact: true }).click();
  await expect(page.getByText("이메일 또는 비밀번호가 맞지 않아요.")).toBeVisible();
  await shoot(page, "login");
  await context.close();

  // A rider who opens the admin area is told so, and nothing of it is shown.
  const rider = await consoleAs(browser, demo.rider1, "phone");
  await rider.page.goto("/admin");
  await expect(rider.page.getByRole("heading", { name: "운영자 계정으로 로그인해 주세요" })).toBeVisible();
  await expect(rider.page.getByText("메뉴 검수")).toHaveCount(0);
  await rider.context.close();
});
