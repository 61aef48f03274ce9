/**
 * What a customer does in the web app, step by step, in Korean (the default language).
 * Specs compose these; each step waits for what the customer would wait for.
 */
import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const fishShop = { name: "바다회센터", platter: "모둠회 (대)", platterPrice: 59_000, deliveryFee: 3_000 };
export const cards = {
  ok: "4242 4242 4242 4242",
  insufficient: "4000 0000 0000 9995",
  declined: "4000 0000 0000 0002",
};
export const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;

/** Signs up a new customer through the sign-up form; returns the email. */
export async function signUp(page: Page, name = "김손님"): Promise<string> {
  const email = `e2e-${randomBytes(5).toString("hex")}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("이름").fill(name);
  await page.getByLabel("이메일").fill(email);
  await page.getByLabel("비밀번호").fill("correct-horse-9");
  await page.getByLabel("휴대폰 번호").fill("010-5555-1234");
  await page.getByRole("button", { name: "가입하고 시작하기" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name })).toBeVisible();
  return email;
}

export async function openShop(page: Page, shopName: string) {
  await page.goto("/");
  await page.getByTestId("shop-card").filter({ hasText: shopName }).click();
  await expect(page.getByRole("heading", { level: 1, name: shopName })).toBeVisible();
}

/** Adds `quantity` of a dish from the open shop page through the quantity dialog. */
export async function addDish(page: Page, dish: string, quantity = 1) {
  await page.getByRole("button", { name: `${dish} 담기` }).click();
  const dialog = page.getByRole("dialog", { name: dish });
  for (let i = 1; i < quantity; i++) await dialog.getByRole("button", { name: "수량 늘리기" }).click();
  await dialog.getByTestId("add-to-cart").click();
  await expect(dialog).toBeHidden();
}

export async function fillCheckout(page: Page, card: string) {
  await page.goto("/checkout");
  await page.getByLabel("배달 주소", { exact: true }).fill("서울 마포구 월드컵북로 396, 101동 1203호");
  await page.getByLabel("연락처").fill("010-5555-1234");
  await page.getByLabel("요청사항 (선택)").fill("문 앞에 두고 벨 눌러주세요");
  await page.getByLabel("카드 번호", { exact: true }).fill(card);
}

/** Pays and waits for the order page; returns the order id from its URL. */
export async function payAndOpenOrder(page: Page): Promise<string> {
  await page.getByTestId("place-order").click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return page.url().split("/orders/")[1]!;
}

/** Orders the fish platter (sign-up included) and returns the order id, on the order page. */
export async function orderPlatter(page: Page, card = cards.ok): Promise<string> {
  await signUp(page);
  await openShop(page, fishShop.name);
  await addDish(page, fishShop.platter);
  await fillCheckout(page, card);
  return payAndOpenOrder(page);
}

/** Marks the page so a test can prove later that it was never reloaded. */
export async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __e2eMarker: number }).__e2eMarker = 42));
}
export async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: number }).__e2eMarker)).toBe(42);
}

/** The status badge and the timeline step, as the order page shows them. */
export async function expectStatus(page: Page, label: string, step: string) {
  await expect(page.getByTestId("order-status")).toHaveText(label, { timeout: 20_000 });
  await expect(page.locator(`[data-testid=timeline] li[data-step=${step}]`)).toHaveAttribute("data-state", /done|current|stopped/);
}

/** Closes the toasts on screen (before a screenshot, so they do not hide the page). */
export async function dismissToasts(page: Page) {
  const close = page.getByTestId("toast").getByRole("button", { name: "알림 닫기" });
  while ((await close.count()) > 0) await close.first().click();
}
