/**
 * The platform admin on a laptop: finds an order by the customer's phone, reads its history,
 * cancels it before pickup — and the whole compensation chain follows: the refund, the shop's
 * ticket (the owner's board marks it live), the rider's call (the rider is told). Then the
 * delivery report and the parked-events screen.
 */
import { test, expect } from "@playwright/test";
import { demo } from "../support/api.js";
import { OrderDriver } from "../support/order-driver.js";
import { apiCustomer, consoleAs, placeOrder, shoot, shortId, ticketCard } from "./console-ui.js";

test("customer service cancels before pickup; refund, board and rider follow; report and parked events", async ({ browser }) => {
  test.setTimeout(300_000);
  const phone = `010-${Math.floor(1000 + Math.random() * 8999)}-${Math.floor(1000 + Math.random() * 8999)}`;
  const orderId = await placeOrder(await apiCustomer(), phone);
  const order = new OrderDriver(orderId, { owner: demo.fishOwner, rider: demo.rider2 });
  await order.accept(15);
  await order.startCooking();
  await order.markReady();
  await order.callRider(3_000);
  await order.riderAccepts();

  const shop = await consoleAs(browser, demo.fishOwner, "tablet");
  const card = ticketCard(shop.page, orderId);
  await expect(card).toHaveAttribute("data-column", "WITH_RIDER");
  const rider = await consoleAs(browser, demo.rider2, "phone");
  await expect(rider.page.locator(`[data-testid=active-call][data-order-id="${orderId}"]`)).toBeVisible();

  const admin = await consoleAs(browser, demo.admin, "laptop");
  await admin.page.getByRole("link", { name: "고객센터" }).click();
  await admin.page.getByLabel("주문번호 또는 전화번호").fill(phone);
  await admin.page.getByRole("button", { name: "찾기" }).click();
  const result = admin.page.getByTestId("order-result").filter({ hasText: `#${shortId(orderId)}` });
  await expect(result).toContainText("라이더 배정");
  await result.click();
  const detail = admin.page.getByTestId("order-detail");
  await expect(detail.getByTestId("order-status")).toHaveText("라이더 배정");
  const history = detail.getByTestId("order-history");
  for (const type of ["OrderPlaced", "TicketAccepted", "RiderCallRequested", "RiderCallAccepted", "OrderRiderAssigned"]) {
    await expect(history.locator(`li[data-event-type=${type}]`).first()).toBeVisible();
  }
  await shoot(admin.page, "admin-customer-service", ["laptop", "tablet", "phone"]);

  await detail.getByRole("button", { name: "주문 취소" }).click();
  const dialog = admin.page.getByRole("dialog", { name: `주문 #${shortId(orderId)} 취소` });
  await expect(dialog.getByRole("button", { name: "취소하고 환불" })).toBeDisabled();
  await dialog.getByLabel("취소 사유 (필수)").fill("고객 요청으로 취소 (상담 #2048)");
  await dialog.getByRole("button", { name: "취소하고 환불" }).click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId("order-status")).toHaveText("취소");

  // The compensation chain, as the history records it.
  for (const type of ["OrderCancelled", "TicketCancelled", "RiderCallCancelled", "PaymentRefunded", "OrderRefunded"]) {
    await expect(history.locator(`li[data-event-type=${type}]`).first()).toBeVisible({ timeout: 20_000 });
  }
  await expect(detail.getByRole("button", { name: "주문 취소" })).toBeDisabled();

  // The owner's board marks the order live; the rider was told and the call is gone.
  await expect(card).toHaveAttribute("data-column", "CANCELLED");
  await expect(card).toContainText("고객센터 취소 · 환불 완료");
  await expect(card).toContainText("고객 요청으로 취소 (상담 #2048)");
  await expect(rider.page.getByTestId("rider-notice")).toContainText("배달이 취소됐어요");
  await expect(rider.page.getByTestId("rider-notice")).toContainText("고객 요청으로 취소 (상담 #2048)");
  await expect(rider.page.locator(`[data-testid=active-call][data-order-id="${orderId}"]`)).toHaveCount(0);
  await shoot(shop.page, "shop-board-cancelled");

  // Delivery report: the cancelled call is there with its fee, and the figures per day.
  await admin.page.getByRole("link", { name: "배달 리포트" }).click();
  await expect(admin.page.getByTestId("report-summary")).toBeVisible();
  await expect(admin.page.locator(`[data-testid=deliveries-table] tr[data-order-id="${orderId}"]`)).toContainText("취소", { timeout: 40_000 }); // the report refetches every 10 s
  await expect(admin.page.locator(".recharts-surface").first()).toBeVisible();
  await shoot(admin.page, "admin-report", ["laptop", "tablet", "phone"]);

  await admin.page.getByRole("link", { name: "이벤트 처리" }).click();
  await expect(admin.page.getByRole("heading", { name: "이벤트 처리" })).toBeVisible();
  await expect(admin.page.getByText(/보류된 이벤트가 없어요|읽을 수 없는 메시지|주문 #/).first()).toBeVisible();
  await shoot(admin.page, "admin-dead-letters", ["laptop", "phone"]);

  await Promise.all([shop.context.close(), rider.context.close(), admin.context.close()]);
});
