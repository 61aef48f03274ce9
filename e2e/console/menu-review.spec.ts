/**
 * A menu item's trip through platform review, across three screens: the owner adds it (console,
 * tablet), customers cannot see it (web app), the admin approves it (console, laptop), the owner's
 * menu shows the decision live and customers now see it; a rejection reaches the owner with its
 * reason.
 */
import { randomBytes } from "node:crypto";
import { test, expect, type Page } from "@playwright/test";
import { demo } from "../support/api.js";
import { stack } from "../support/stack.js";
import { fishShop, openShop } from "../web/customer-ui.js";
import { consoleAs, expectNotReloaded, markNoReload, shoot } from "./console-ui.js";

async function addItem(page: Page, item: { name: string; price: number; description: string }) {
  await page.getByRole("button", { name: "+ 메뉴 추가" }).click();
  const form = page.getByRole("dialog", { name: "메뉴 추가" });
  await form.getByLabel("메뉴 이름").fill(item.name);
  await form.getByLabel("설명").fill(item.description);
  await form.getByLabel("가격 (원)").fill(String(item.price));
  await form.getByLabel("분류").fill("단품회");
  await form.getByRole("button", { name: "검수 요청하고 추가" }).click();
  await expect(form).toBeHidden();
}

test("menu review round trip: add → hidden from customers → approved → shown; a rejection shows its reason", async ({ browser }) => {
  test.setTimeout(300_000);
  const tag = randomBytes(2).toString("hex");
  const approved = { name: `참돔회 ${tag}`, price: 45_000, description: "제철 참돔을 두툼하게 썰었어요" };
  const rejected = { name: `도미 머리 구이 ${tag}`, price: 15_000, description: "숯불에 구운 도미 머리" };

  const owner = await consoleAs(browser, demo.fishOwner, "tablet");
  await owner.page.goto("/shop/menu");
  await expect(owner.page.getByText("실시간 연결됨")).toBeVisible();
  await markNoReload(owner.page);
  await addItem(owner.page, approved);
  const row = (name: string) => owner.page.locator(`[data-testid=menu-item][data-item-name="${name}"]`);
  await expect(row(approved.name)).toHaveAttribute("data-review", "IN_REVIEW");
  await expect(row(approved.name)).toContainText("검수 중");

  // Customers do not see an item in review.
  const customerContext = await browser.newContext({ baseURL: stack().webUrl, locale: "ko-KR", timezoneId: "Asia/Seoul" });
  const customer = await customerContext.newPage();
  await openShop(customer, fishShop.name);
  await expect(customer.getByTestId("menu-item").first()).toBeVisible();
  await expect(customer.getByTestId("menu-item").filter({ hasText: approved.name })).toHaveCount(0);

  // The admin approves it.
  const admin = await consoleAs(browser, demo.admin, "laptop");
  await expect(admin.page).toHaveURL(/\/admin$/);
  const kase = (name: string) => admin.page.locator(`[data-testid=review-case][data-item-name="${name}"]`);
  await expect(kase(approved.name)).toContainText("바다회센터");
  await expect(kase(approved.name)).toContainText("신규 메뉴");
  await shoot(admin.page, "admin-review-queue", ["laptop", "tablet", "phone"]);
  await kase(approved.name).getByRole("button", { name: "승인" }).click();
  await expect(kase(approved.name)).toHaveCount(0);

  // The owner's menu hears the decision without a reload.
  await expect(row(approved.name)).toHaveAttribute("data-review", "LISTED");
  await expect(row(approved.name)).toContainText("판매 중");
  await expect(owner.page.getByText(`‘${approved.name}’ 검수가 승인됐어요. 고객에게 보여요.`)).toBeVisible();

  // Customers see it now.
  await expect(async () => {
    await customer.reload();
    await expect(customer.getByTestId("menu-item").filter({ hasText: approved.name })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });

  // A second item is rejected with a reason; the owner reads it.
  await addItem(owner.page, rejected);
  await expect(row(rejected.name)).toHaveAttribute("data-review", "IN_REVIEW");
  await admin.page.reload();
  await kase(rejected.name).getByRole("button", { name: "반려" }).click();
  const dialog = admin.page.getByRole("dialog", { name: `‘${rejected.name}’ 반려` });
  await expect(dialog.getByRole("button", { name: "반려하기" })).toBeDisabled(); // a reason is mandatory
  await dialog.getByRole("button", { name: "메뉴 사진이 필요해요" }).click();
  await dialog.getByRole("button", { name: "반려하기" }).click();
  await expect(dialog).toBeHidden();

  await expect(row(rejected.name)).toHaveAttribute("data-review", "REJECTED");
  await expect(row(rejected.name).getByTestId("reject-reason")).toHaveText("반려 사유: 메뉴 사진이 필요해요");
  await expect(customer.getByTestId("menu-item").filter({ hasText: rejected.name })).toHaveCount(0);
  await expectNotReloaded(owner.page);
  await shoot(owner.page, "shop-menu");

  // Sold out applies at once for customers (the web app leaves sold-out dishes off the menu).
  await row(approved.name).getByRole("switch", { name: `${approved.name} 품절` }).click();
  await expect(row(approved.name)).toContainText("품절");
  await customer.reload();
  await expect(customer.getByTestId("menu-item").first()).toBeVisible();
  await expect(customer.getByTestId("menu-item").filter({ hasText: approved.name })).toHaveCount(0);

  await Promise.all([owner.context.close(), admin.context.close(), customerContext.close()]);
});
