/**
 * Two riders tap "수락하기" on the same call at the same moment: exactly one gets it, the other
 * is told it was taken — and the call leaves both open-call lists.
 */
import { test, expect } from "@playwright/test";
import { demo } from "../support/api.js";
import { OrderDriver } from "../support/order-driver.js";
import { apiCustomer, consoleAs, placeOrder, shoot } from "./console-ui.js";

test("two riders race for one call: one wins, the other sees it taken", async ({ browser }) => {
  test.setTimeout(120_000);
  const a = await consoleAs(browser, demo.rider1, "phone");
  const b = await consoleAs(browser, demo.rider2, "phone");
  for (const { page } of [a, b]) {
    const online = page.getByRole("switch", { name: "운행" });
    if ((await online.getAttribute("aria-checked")) !== "true") await online.click();
    await expect(online).toHaveAttribute("aria-checked", "true");
  }

  const orderId = await placeOrder(await apiCustomer());
  const order = new OrderDriver(orderId);
  await order.accept(10);
  await order.startCooking();
  await order.markReady();
  await order.callRider(5_000);

  const callOn = (page: typeof a.page) => page.locator(`[data-testid=open-call][data-order-id="${orderId}"]`);
  await expect(callOn(a.page)).toBeVisible();
  await expect(callOn(b.page)).toBeVisible();

  // Both tap at once: the buttons are found first, then clicked in the same instant (a click
  // through Playwright's actionability checks could land after the winner's call left the list).
  const buttons = await Promise.all(
    [a.page, b.page].map((page) => callOn(page).getByRole("button", { name: "수락하기" }).elementHandle()),
  );
  await Promise.all(buttons.map((button) => button!.evaluate((el) => (el as HTMLButtonElement).click())));

  const won = (page: typeof a.page) => page.locator(`[data-testid=active-call][data-order-id="${orderId}"]`);
  await expect.poll(async () => (await won(a.page).count()) + (await won(b.page).count()), { timeout: 15_000 }).toBe(1);
  const [winner, loser] = (await won(a.page).count()) === 1 ? [a.page, b.page] : [b.page, a.page];
  await expect(won(winner)).toHaveAttribute("data-status", "ACCEPTED");
  await expect(loser.getByTestId("rider-notice")).toContainText("다른 라이더가 먼저 배차를 수락했어요.");
  await expect(callOn(loser)).toHaveCount(0);
  await expect(won(loser)).toHaveCount(0);
  await shoot(loser, "rider-call-taken");
  await Promise.all([a.context.close(), b.context.close()]);
});
