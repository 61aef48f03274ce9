/**
 * Three people at once, each in their own browser: a customer orders in the web app, the shop
 * owner runs the order from the console's live board (tablet), a rider takes and delivers it
 * from the rider screen (phone). Every screen updates live from the others' actions — none of
 * the pages is ever reloaded.
 */
import { test, expect } from "@playwright/test";
import { demo } from "../support/api.js";
import { stack } from "../support/stack.js";
import { expectStatus, orderPlatter } from "../web/customer-ui.js";
import { consoleAs, expectNotReloaded, markNoReload, shoot, shortId, ticketCard, won } from "./console-ui.js";

test("checkout to door: customer, shop owner and rider, each screen live", async ({ browser }) => {
  test.setTimeout(300_000);
  const shop = await consoleAs(browser, demo.fishOwner, "tablet");
  const rider = await consoleAs(browser, demo.rider1, "phone");
  const customerContext = await browser.newContext({ baseURL: stack().webUrl, locale: "ko-KR", timezoneId: "Asia/Seoul" });
  const customer = await customerContext.newPage();

  // The owner's board and the rider's feed are open before the order exists.
  const board = shop.page;
  await expect(board).toHaveURL(/\/shop$/);
  await expect(board.getByText("실시간 연결됨")).toBeVisible();
  // The stream is open before its snapshot is drawn: wait for the board itself.
  await expect(board.getByText("주문을 불러오는 중")).toBeHidden();
  // Orders other tests left waiting are acknowledged first, so the alert below is about ours.
  const alert = board.getByTestId("new-order-alert");
  if (await alert.isVisible()) await alert.getByRole("button", { name: "확인" }).click();
  await markNoReload(board);
  const riderPage = rider.page;
  await expect(riderPage).toHaveURL(/\/rider$/);
  const onlineSwitch = riderPage.getByRole("switch", { name: "운행" });
  if ((await onlineSwitch.getAttribute("aria-checked")) !== "true") await onlineSwitch.click();
  await expect(onlineSwitch).toHaveAttribute("aria-checked", "true");
  await markNoReload(riderPage);

  // The customer orders and pays in the web app.
  const orderId = await orderPlatter(customer);
  await expectStatus(customer, "주문 접수", "PLACED");

  // It lands on the board at once, with the new-order alert until acknowledged.
  const card = ticketCard(board, orderId);
  await expect(card).toHaveAttribute("data-column", "NEW");
  await expect(alert).toContainText("새 주문 1건");
  await expect(card).toContainText("모둠회 (대)");
  await expect(card).toContainText("문 앞에 두고 벨 눌러주세요");
  await shoot(board, "shop-board-new-order");

  await card.getByRole("button", { name: "접수하기" }).click();
  const accept = board.getByRole("dialog", { name: `주문 #${shortId(orderId)} 접수` });
  await accept.getByRole("button", { name: "20분" }).click();
  await expect(accept).toBeHidden();
  await expect(alert).toBeHidden();
  await expect(card).toHaveAttribute("data-column", "ACCEPTED");
  await expectStatus(customer, "주문 수락", "ACCEPTED");

  await card.getByRole("button", { name: "조리 시작" }).click();
  await expect(card).toHaveAttribute("data-column", "COOKING");
  await expectStatus(customer, "조리 중", "COOKING");

  await card.getByRole("button", { name: "조리 완료" }).click();
  await expect(card).toHaveAttribute("data-column", "READY");
  await expectStatus(customer, "조리 완료", "READY");

  await card.getByRole("button", { name: "라이더 호출" }).click();
  const call = board.getByRole("dialog", { name: "라이더 호출" });
  await expect(call.getByLabel("배달지")).toHaveValue("서울 마포구 월드컵북로 396, 101동 1203호");
  await call.getByLabel("배달비").fill("4500");
  await shoot(board, "shop-call-rider");
  await call.getByRole("button", { name: `${won(4500)}으로 호출` }).click();
  await expect(call).toBeHidden();
  await expect(card).toContainText("라이더 배차 대기 중");

  // The call shows up on the rider's phone by itself.
  const openCall = riderPage.locator(`[data-testid=open-call][data-order-id="${orderId}"]`);
  await expect(openCall).toContainText(won(4500));
  await expect(openCall).toContainText("바다회센터");
  await shoot(riderPage, "rider-open-call");
  await openCall.getByRole("button", { name: "수락하기" }).click();
  const active = riderPage.locator(`[data-testid=active-call][data-order-id="${orderId}"]`);
  await expect(active).toHaveAttribute("data-status", "ACCEPTED");
  await expect(openCall).toHaveCount(0);

  await expect(card).toHaveAttribute("data-column", "WITH_RIDER");
  await expect(card).toContainText("박라이더");
  await expectStatus(customer, "라이더 배정", "RIDER_ASSIGNED");
  await shoot(riderPage, "rider-active-delivery");

  await active.getByRole("button", { name: "픽업 완료" }).click();
  await expect(active).toHaveAttribute("data-status", "PICKED_UP");
  await expect(card).toContainText("배달 중");
  await expectStatus(customer, "배달 중", "PICKED_UP");

  await active.getByRole("button", { name: "배달 완료" }).click();
  await expect(active).toHaveCount(0);
  await expectStatus(customer, "배달 완료", "DELIVERED");
  await expect(card).toHaveAttribute("data-column", "DONE");
  await expect(card).toContainText("배달 완료");

  // The rider's day: the delivery, its fee, settled.
  const done = riderPage.locator(`[data-testid=done-call][data-order-id="${orderId}"]`);
  await expect(done).toContainText(won(4500));
  await expect(done).toContainText("정산 완료", { timeout: 20_000 });
  await expect(riderPage.getByTestId("earned")).not.toHaveText("0원");

  await expectNotReloaded(board);
  await expectNotReloaded(riderPage);
  await shoot(board, "shop-board");
  await shoot(riderPage, "rider-home");
  await Promise.all([shop.context.close(), rider.context.close(), customerContext.close()]);
});
