/**
 * The customer's whole journey against the real processes: sign up → a fish platter from
 * 바다회센터 → pay → the shop and a rider move the order through the API while the open order page
 * shows each status arrive live, without a reload — including after the network drops.
 */
import { webTest as test, expect } from "../support/fixtures.js";
import { OrderDriver } from "../support/order-driver.js";
import { screenshotAtSizes } from "../support/screenshots.js";
import { withContextStopped } from "../support/stack.js";
import {
  addDish,
  cards,
  dismissToasts,
  expectNotReloaded,
  expectStatus,
  fillCheckout,
  fishShop,
  markNoReload,
  openShop,
  payAndOpenOrder,
  signUp,
  won,
} from "./customer-ui.js";

test("order a fish platter, pay, and follow every status live", async ({ page, context }) => {
  await signUp(page);
  await expect(page.getByTestId("shop-card").first()).toBeVisible();
  await screenshotAtSizes(page, "home");

  // Search finds the shop by a dish it sells.
  await page.getByLabel("가게 또는 메뉴 검색").fill("모둠회");
  await page.getByRole("button", { name: "검색", exact: true }).click();
  await expect(page.getByTestId("shop-card")).toHaveCount(1);
  await expect(page.getByTestId("shop-card")).toContainText(fishShop.name);

  await openShop(page, fishShop.name);
  await expect(page.getByTestId("menu-item").filter({ hasText: fishShop.platter })).toContainText(won(fishShop.platterPrice));
  await addDish(page, fishShop.platter);
  await screenshotAtSizes(page, "shop");

  // The cart survives a reload.
  await page.reload();
  await expect(page.getByTestId("cart-link")).toHaveAccessibleName("장바구니, 1개 담김");

  await fillCheckout(page, cards.ok);
  await expect(page.getByTestId("cart-total")).toHaveText(won(fishShop.platterPrice + fishShop.deliveryFee));
  await screenshotAtSizes(page, "checkout");
  const orderId = await payAndOpenOrder(page);

  await expectStatus(page, "주문 접수", "PLACED");
  await expect(page.getByTestId("cart-link")).toHaveAccessibleName("장바구니");
  await markNoReload(page);
  const toasts = page.getByTestId("toast");

  const order = new OrderDriver(orderId);
  await order.accept(25);
  await expectStatus(page, "주문 수락", "ACCEPTED");
  await expect(page.getByTestId("order-eta")).toBeVisible();
  await expect(toasts.filter({ hasText: "가게에서 주문을 수락했습니다" })).toBeVisible();

  await order.startCooking();
  await expectStatus(page, "조리 중", "COOKING");
  // Once cooking, cancelling is no longer allowed, and the page says why.
  await expect(page.getByTestId("cancel-order")).toHaveCount(0);
  await expect(page.getByTestId("cancel-refused")).toContainText("취소할 수 없어요");

  await order.markReady();
  await expectStatus(page, "조리 완료", "READY");
  await order.callRider();
  await order.riderAccepts();
  await expectStatus(page, "라이더 배정", "RIDER_ASSIGNED");
  await expect(page.locator("[data-testid=timeline] li[data-step=RIDER_ASSIGNED]")).toContainText("박라이더");

  // The network drops; the order moves on meanwhile; back online the page catches up by itself.
  await context.setOffline(true);
  await expect(page.getByTestId("live-banner")).toBeVisible();
  await order.pickedUp();
  await page.waitForTimeout(1_000);
  await expect(page.getByTestId("order-status")).toHaveText("라이더 배정");
  await context.setOffline(false);
  await expectStatus(page, "배달 중", "PICKED_UP");
  await expect(page.getByTestId("live-banner")).toBeHidden();

  // My page's process restarts (a deploy) while the rider delivers: the stream drops on the
  // server side, and the page reconnects and catches up once it is back.
  await withContextStopped("mypage", () => order.delivered());
  await expectStatus(page, "배달 완료", "DELIVERED");
  await expectNotReloaded(page);

  // Every status change was notified: the bell counts them, unread.
  const bell = page.getByTestId("bell");
  await expect(page.getByTestId("unread-count")).toHaveText(/^[1-9]\d*$/);
  await expect.poll(async () => Number(await page.getByTestId("unread-count").textContent()), { timeout: 20_000 }).toBe(7);
  await bell.click();
  const panel = page.getByRole("region", { name: "알림" });
  await expect(panel.getByText("배달이 완료되었습니다")).toBeVisible();
  await panel.getByRole("button", { name: "모두 읽음" }).click();
  await expect(page.getByTestId("unread-count")).toHaveCount(0);
  await page.keyboard.press("Escape");

  await dismissToasts(page);
  await screenshotAtSizes(page, "order-delivered");

  // My page lists the order, newest first, delivered.
  await page.goto("/orders");
  await expect(page.getByTestId("order-row").first()).toContainText("배달 완료");
  await screenshotAtSizes(page, "orders");
});
