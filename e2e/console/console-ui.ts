/**
 * What the console's people do, step by step (Korean UI), and the console's screenshots:
 * every screen at tablet and phone size (and laptop for the admin) into <repo>/screenshots/.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { demoId } from "@baedal/api/testing";
import { clientAs, demoPassword, type BaedalClient } from "../support/api.js";
import { screenshotDir } from "../support/screenshots.js";
import { stack } from "../support/stack.js";

export const sizes = {
  tablet: { width: 1180, height: 820 },
  phone: { width: 390, height: 844 },
  laptop: { width: 1440, height: 900 },
} as const;
type Size = keyof typeof sizes;

/** A browser context on the console at a device size, signed in through the login form. */
export async function consoleAs(browser: Browser, email: string, size: Size): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: stack().consoleUrl,
    viewport: sizes[size],
    locale: "ko-KR",
    timezoneId: "Asia/Seoul",
    hasTouch: size !== "laptop",
  });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("이메일").fill(email);
  await page.getByLabel("비밀번호").fill(demoPassword);
  await page.getByRole("button", { name: "로그인", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return { context, page };
}

/** Saves `screenshots/console-<name>-<size>.png` (full page) per size; restores the viewport. */
export async function shoot(page: Page, name: string, which: Size[] = ["tablet", "phone"]): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const before = page.viewportSize();
  for (const size of which) {
    await page.setViewportSize(sizes[size]);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(screenshotDir, `console-${name}-${size}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

/** The page was never reloaded since `markNoReload` (live updates, not refreshes). */
export async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __e2eMarker: number }).__e2eMarker = 7));
}
export async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: number }).__e2eMarker)).toBe(7);
}

export const shortId = (id: string) => id.replace(/-/g, "").slice(-4).toUpperCase();
export const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;

/** The order's card on the shop board. */
export const ticketCard = (page: Page, orderId: string) => page.locator(`[data-testid=ticket][data-order-id="${orderId}"]`);

const fish = {
  shopId: demoId("shop:bada-hoe"),
  platterId: demoId("item:bada-hoe:모둠회 (대)"),
  shopName: "바다회센터",
};

/** A customer that exists only as a token: enough for the API (identity is not asked). */
export async function apiCustomer(): Promise<BaedalClient> {
  return clientAs({ userId: randomUUID(), role: "CUSTOMER", name: "이손님", shopId: null });
}

/** Places a fish platter order through the API (retrying while payment warms up); returns its id. */
export async function placeOrder(customer: BaedalClient, phone = "010-7777-1234"): Promise<string> {
  const input = {
    idempotencyKey: `e2e-${randomUUID()}`,
    shopId: fish.shopId,
    lines: [{ menuItemId: fish.platterId, quantity: 1 }],
    deliveryAddress: "서울 마포구 성미산로 17, 3층",
    phone,
    note: "",
    cardNumber: "4242 4242 4242 4242",
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return (await customer.order.place.mutate(input)).orderId;
    } catch (err) {
      if (attempt >= 5 || (err as { data?: { code?: string } }).data?.code !== "SERVICE_UNAVAILABLE") throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
