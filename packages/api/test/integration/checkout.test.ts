import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cards, replicaShop, warmUpCheckout } from "./fixtures.js";
import { TestEnv, waitFor } from "./harness.js";

describe("checkout: order → payment authorize", () => {
  const env = new TestEnv();
  let placeInput: Awaited<ReturnType<typeof replicaShop>>["input"];

  beforeAll(async () => {
    await env.setup();
    placeInput = (await replicaShop(env)).input;
    await env.startAll(["order", "payment"]);
    await warmUpCheckout(env, (key) => placeInput(key));
  }, 120_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await env.teardown();
  });

  it("places an order with an approved card, charging once", async () => {
    const customer = env.actor("CUSTOMER");
    const api = await env.client(customer);
    const { orderId } = await api.order.place.mutate(placeInput(`k-${randomUUID()}`));
    const order = await api.order.get.query({ orderId });
    expect(order.status).toBe("PLACED");
    expect(order.totalKrw).toBe(42000);
    const payments = await env.query(`SELECT amount_krw, status FROM payment.payments WHERE order_id = $1`, [orderId]);
    expect(payments).toEqual([{ amount_krw: 42000, status: "AUTHORIZED" }]);
  });

  it("same idempotency key twice and concurrently: one order, one charge", async () => {
    const api = await env.client(env.actor("CUSTOMER"));
    const key = `k-${randomUUID()}`;
    const results = await Promise.all([1, 2, 3, 4].map(() => api.order.place.mutate(placeInput(key))));
    const again = await api.order.place.mutate(placeInput(key));
    const ids = new Set([...results, again].map((r) => r.orderId));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids];
    expect(await env.query(`SELECT count(*)::int AS n FROM ordering.orders WHERE id = $1`, [orderId])).toEqual([{ n: 1 }]);
    expect(await env.query(`SELECT count(*)::int AS n FROM payment.ledger_entries WHERE order_id = $1 AND kind = 'CHARGE'`, [orderId])).toEqual([{ n: 1 }]);
    expect(await env.query(`SELECT count(*)::int AS n FROM payment.sandbox_charges WHERE idempotency_key = $1`, [orderId])).toEqual([{ n: 1 }]);
  });

  it("the cart is priced from order's catalog replica: each item's price, and every refusal with its reason", async () => {
    const { shopId, itemId, input } = await replicaShop(env);
    const item = async (price: number, flags: { soldOut?: boolean; listed?: boolean; shop?: string } = {}) => {
      const id = randomUUID();
      await env.query(
        `INSERT INTO ordering.menu_item_replicas (menu_item_id, shop_id, name, price_krw, sold_out, listed, revision)
         VALUES ($1, $2, '광어회', $3, $4, $5, 1)`,
        [id, flags.shop ?? shopId, price, flags.soldOut ?? false, flags.listed ?? true],
      );
      return id;
    };
    const api = await env.client(env.actor("CUSTOMER"));
    const place = (lines: { menuItemId: string; quantity: number }[], shop = shopId) =>
      api.order.place.mutate({ ...input(`k-${randomUUID()}`), shopId: shop, lines });
    const reason = (p: Promise<unknown>) => p.then(() => "OK", (e: { data?: { reason?: string } }) => e.data?.reason);

    const second = await item(5000);
    const { orderId } = await place([{ menuItemId: itemId, quantity: 1 }, { menuItemId: second, quantity: 2 }]);
    const order = await api.order.get.query({ orderId });
    expect(order.totalKrw).toBe(39000 + 2 * 5000 + 3000);
    expect(order.lines.map((l: { unitPriceKrw: number; quantity: number }) => [l.unitPriceKrw, l.quantity]).sort()).toEqual([
      [39000, 1],
      [5000, 2],
    ]);

    expect(await reason(place([{ menuItemId: itemId, quantity: 1 }], randomUUID()))).toBe("SHOP_NOT_FOUND");
    expect(await reason(place([{ menuItemId: randomUUID(), quantity: 1 }]))).toBe("ITEM_UNAVAILABLE");
    expect(await reason(place([{ menuItemId: await item(20000, { listed: false }), quantity: 1 }]))).toBe("ITEM_UNAVAILABLE");
    const other = await replicaShop(env);
    expect(await reason(place([{ menuItemId: other.itemId, quantity: 1 }]))).toBe("ITEM_UNAVAILABLE");
    expect(await reason(place([{ menuItemId: await item(20000, { soldOut: true }), quantity: 1 }]))).toBe("ITEM_SOLD_OUT");
    expect(await reason(place([{ menuItemId: second, quantity: 1 }]))).toBe("BELOW_MINIMUM_ORDER");
    await env.query(`UPDATE ordering.shop_replicas SET is_open = false WHERE shop_id = $1`, [shopId]);
    expect(await reason(place([{ menuItemId: itemId, quantity: 1 }]))).toBe("SHOP_CLOSED");
  });

  it("a declined card creates no order and says why", async () => {
    const customer = env.actor("CUSTOMER");
    const api = await env.client(customer);
    const err = await api.order.place.mutate(placeInput(`k-${randomUUID()}`, cards.poor)).catch((e) => e);
    expect(err.data?.code).toBe("PAYMENT_REQUIRED");
    expect(err.data?.reason).toBe("INSUFFICIENT_FUNDS");
    expect(err.message).toMatch(/insufficient funds/i);
    expect(await env.query(`SELECT count(*)::int AS n FROM ordering.orders WHERE customer_id = $1`, [customer.userId])).toEqual([{ n: 0 }]);
    expect(await env.query(`SELECT status FROM ordering.checkout_attempts WHERE customer_id = $1`, [customer.userId])).toEqual([{ status: "DECLINED" }]);
    expect(await env.query(`SELECT count(*)::int AS n FROM payment.payments p JOIN ordering.checkout_attempts a ON a.id = p.order_id WHERE a.customer_id = $1`, [customer.userId])).toEqual([{ n: 0 }]);
  });

  it("a card whose issuer hangs: declined as ISSUER_TIMEOUT before order stops waiting, nothing charged, breaker closed", async () => {
    const customer = env.actor("CUSTOMER");
    const api = await env.client(customer);
    const key = `k-${randomUUID()}`;
    const err = await api.order.place.mutate(placeInput(key, cards.slow)).catch((e) => e);
    // Payment answered (its own gateway timeout), so order's call did not time out.
    expect(err.data?.code).toBe("PAYMENT_REQUIRED");
    expect(err.data?.reason).toBe("ISSUER_TIMEOUT");
    expect(err.message).toMatch(/nothing was charged/i);
    const [attempt] = await env.query<{ id: string; status: string }>(
      `SELECT id, status FROM ordering.checkout_attempts WHERE customer_id = $1`,
      [customer.userId],
    );
    expect(attempt!.status).toBe("DECLINED");
    // Payment left a tombstone and the key is refunded at the gateway: a late charge cannot stay.
    expect(await env.query(`SELECT status, amount_krw FROM payment.payments WHERE order_id = $1`, [attempt!.id])).toEqual([
      { status: "VOIDED", amount_krw: 0 },
    ]);
    expect(
      await env.query(`SELECT status FROM payment.sandbox_charges WHERE idempotency_key = $1`, [attempt!.id]),
    ).toEqual([{ status: "REFUNDED" }]);
    // The decision is final for this key: a retry gets the same answer and charges nothing.
    const retry = await api.order.place.mutate(placeInput(key, cards.slow)).catch((e) => e);
    expect(retry.data?.reason).toBe("ISSUER_TIMEOUT");
    expect(await env.breakerState("order", "payment")).toBe("closed");
  }, 60_000);

  it("payment stopped: the breaker opens after 3 failures, answers at once, and closes when payment is back", async () => {
    const api = await env.client(env.actor("CUSTOMER"));
    const breaker = () => env.breakerState("order", "payment");
    expect(await breaker()).toBe("closed");
    await env.processes.get("payment")!.kill();
    for (let i = 0; i < 3; i++) {
      const err = await api.order.place.mutate(placeInput(`k-${randomUUID()}`)).catch((e) => e);
      expect(err.data?.code).toBe("SERVICE_UNAVAILABLE");
    }
    expect(await breaker()).toBe("open");
    const attempts = async () =>
      (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM ordering.checkout_attempts`))[0]!.n;
    const before = await attempts();
    const fallback = await api.order.place.mutate(placeInput(`k-${randomUUID()}`)).catch((e) => e);
    expect(fallback.message).toMatch(/payment is busy/i);
    // Refused here without asking payment: nothing recorded, so nothing to void later.
    expect(await attempts()).toBe(before);

    await env.start("payment");
    const { orderId } = await waitFor("an order to go through again", async () =>
      api.order.place.mutate(placeInput(`k-${randomUUID()}`)).catch(() => null),
    );
    expect(orderId).toBeTruthy();
    expect(await breaker()).toBe("closed");
  }, 120_000); // restarts payment: up to 60 s to come up on a busy machine
});
