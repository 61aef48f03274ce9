/** Cancelling: allowed while the shop has not started cooking, refunded once; refused after. */
import { webTest as test, expect } from "../support/fixtures.js";
import { OrderDriver } from "../support/order-driver.js";
import { screenshotAtSizes } from "../support/screenshots.js";
import { dismissToasts, expectStatus, fishShop, orderPlatter, won } from "./customer-ui.js";

test("cancel an accepted order: cancelled, refunded, and the button is gone", async ({ page }) => {
  const orderId = await orderPlatter(page);
  await expectStatus(page, "주문 접수", "PLACED");
  await new OrderDriver(orderId).accept(15);
  await expectStatus(page, "주문 수락", "ACCEPTED");

  await page.getByTestId("cancel-order").click();
  const dialog = page.getByRole("dialog", { name: "주문을 취소할까요?" });
  await expect(dialog).toContainText(won(fishShop.platterPrice + fishShop.deliveryFee));
  await dialog.getByTestId("confirm-cancel").click();

  await expectStatus(page, "주문 취소", "CANCELLED");
  await expect(page.locator("[data-testid=timeline] li[data-step=CANCELLED]")).toHaveAttribute("data-state", "stopped");
  await expect(page.getByText(`${won(fishShop.platterPrice + fishShop.deliveryFee)} 환불 완료`)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("cancel-order")).toHaveCount(0);
  await dismissToasts(page);
  await screenshotAtSizes(page, "order-cancelled");
});

test("once the shop is cooking, the customer is told why cancelling is no longer possible", async ({ page }) => {
  const orderId = await orderPlatter(page);
  await expect(page.getByTestId("cancel-order")).toBeVisible({ timeout: 20_000 });
  const order = new OrderDriver(orderId);
  await order.accept(20);
  await order.startCooking();
  await expectStatus(page, "조리 중", "COOKING");
  await expect(page.getByTestId("cancel-order")).toHaveCount(0);
  await expect(page.getByTestId("cancel-refused")).toHaveText(/이미 조리를 시작해서 지금은 취소할 수 없어요/);
  await dismissToasts(page);
  await screenshotAtSizes(page, "order-cooking");
});
