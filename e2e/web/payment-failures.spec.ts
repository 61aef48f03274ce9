/**
 * Checkout when payment says no or cannot answer: the customer sees why, nothing is charged, the
 * cart stays, and the retry that finally succeeds charges exactly once.
 */
import { webTest as test, expect } from "../support/fixtures.js";
import { query } from "../support/db.js";
import { withContextStopped } from "../support/stack.js";
import { addDish, cards, fillCheckout, fishShop, openShop, signUp } from "./customer-ui.js";

async function customerIdOf(email: string): Promise<string> {
  const rows = await query<{ id: string }>("SELECT id FROM identity.users WHERE email = $1", [email]);
  return rows[0]!.id;
}

test("a declined card shows the reason and keeps the cart; another card then works", async ({ page }) => {
  const email = await signUp(page);
  await openShop(page, fishShop.name);
  await addDish(page, fishShop.platter);

  await fillCheckout(page, cards.declined);
  await page.getByTestId("place-order").click();
  await expect(page.getByTestId("checkout-error")).toHaveText(/카드사에서 결제를 거절했어요/);
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);

  await page.getByLabel("카드 번호", { exact: true }).fill(cards.insufficient);
  await page.getByTestId("place-order").click();
  await expect(page.getByTestId("checkout-error")).toHaveText(/잔액이 부족/);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);

  // A declined attempt is final, so the next click is a new attempt (new key) and goes through.
  await page.getByLabel("카드 번호", { exact: true }).fill(cards.ok);
  await page.getByTestId("place-order").click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);

  const customerId = await customerIdOf(email);
  const payments = await query<{ status: string; amount_krw: number }>(
    "SELECT status, amount_krw FROM payment.payments WHERE customer_id = $1",
    [customerId],
  );
  expect(payments).toEqual([{ status: "AUTHORIZED", amount_krw: fishShop.platterPrice + fishShop.deliveryFee }]);
});

test("payment busy: a clear message and the cart intact; the retry (even double-clicked) charges once", async ({ page }) => {
  const email = await signUp(page);
  await openShop(page, fishShop.name);
  await addDish(page, fishShop.platter);
  await fillCheckout(page, cards.ok);

  await withContextStopped("payment", async () => {
    await page.getByTestId("place-order").click();
    await expect(page.getByTestId("checkout-error")).toHaveText(/결제 시스템이 잠시 바빠요/);
    await expect(page.getByTestId("cart-line")).toHaveCount(1);
    await expect(page).toHaveURL(/\/checkout$/);
  });

  // Payment is back. The customer presses the button again — twice, quickly.
  await expect(async () => {
    if (page.url().endsWith("/checkout")) await page.getByTestId("place-order").dblclick();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/, { timeout: 5_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });

  const customerId = await customerIdOf(email);
  const orders = await query<{ id: string }>("SELECT id FROM ordering.orders WHERE customer_id = $1", [customerId]);
  expect(orders).toHaveLength(1);
  const charges = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM payment.payments WHERE customer_id = $1 AND status = 'AUTHORIZED'`,
    [customerId],
  );
  expect(charges[0]!.n).toBe(1);
  await expect(page.getByTestId("order-status")).toHaveText("주문 접수", { timeout: 20_000 });
});
