/**
 * Callers who hurt others: customers hammering a card whose issuer hangs, and a client that
 * fires one checkout many times. Neither may cost anyone else a checkout.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cards, replicaShop, warmUpCheckout } from "./fixtures.js";
import { TestEnv } from "./harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("checkout under abusive callers", () => {
  const env = new TestEnv();
  let input: Awaited<ReturnType<typeof replicaShop>>["input"];

  beforeAll(async () => {
    await env.setup();
    input = (await replicaShop(env)).input;
    // The sandbox's slow card hangs 9 s; order waits 5 s for payment; payment's own gateway
    // timeout (1.5 s by default) answers well before that.
    await env.start("payment");
    await env.start("order", { env: { RATE_LIMIT_ORDER_PER_CUSTOMER: "5/1m" } });
    await warmUpCheckout(env, input);
  }, 180_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await env.teardown();
  });

  it("two customers hammering a card whose issuer hangs: everyone else's checkouts all go through", async () => {
    const slow = await Promise.all([1, 2].map(() => env.client(env.actor("CUSTOMER"))));
    const others = await Promise.all(Array.from({ length: 8 }, () => env.client(env.actor("CUSTOMER"))));
    const slowOutcomes: string[] = [];
    const rounds = 3;
    // Each slow customer: 3 checkouts at once (each a new attempt), a round every 5.5 s.
    const hammer = slow.map(async (api) => {
      for (let r = 0; r < rounds; r++) {
        const started = Date.now();
        const round = await Promise.all(
          [1, 2, 3].map(() =>
            api.order.place.mutate(input(`slow-${randomUUID()}`, cards.slow)).then(
              () => "PLACED",
              (e: { data?: { reason?: string } }) => e.data?.reason ?? "NETWORK",
            ),
          ),
        );
        slowOutcomes.push(...round);
        if (r < rounds - 1) await sleep(Math.max(0, 5_500 - (Date.now() - started)));
      }
    });
    // Everyone else meanwhile: an order every 4 s each (within their own budget of 5 a minute).
    const failures: string[] = [];
    const ordering = others.map(async (api, i) => {
      await sleep(i * 500);
      for (let n = 0; n < 4; n++) {
        const started = Date.now();
        await api.order.place
          .mutate(input(`ok-${randomUUID()}`))
          .catch((e: { data?: { reason?: string }; message: string }) => failures.push(e.data?.reason ?? e.message));
        await sleep(Math.max(0, 4_000 - (Date.now() - started)));
      }
    });
    await Promise.all([...hammer, ...ordering]);

    expect(failures).toEqual([]);
    // The slow card's checkouts were answered for what they were: the issuer timed out, a
    // customer's third checkout at once waits its turn, or the customer's order budget ran out.
    expect(slowOutcomes.length).toBeGreaterThan(0);
    expect(new Set(slowOutcomes).size).toBeGreaterThan(1);
    for (const o of slowOutcomes) expect(["ISSUER_TIMEOUT", "CHECKOUT_IN_PROGRESS", "RATE_LIMITED"]).toContain(o);
    expect(slowOutcomes).toContain("ISSUER_TIMEOUT");
    expect(slowOutcomes).toContain("CHECKOUT_IN_PROGRESS");
    expect(await env.breakerState("order", "payment")).toBe("closed");
    // Nothing stays charged for the slow card's attempts.
    const charged = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payment.sandbox_charges c
         JOIN ordering.checkout_attempts a ON a.id::text = c.idempotency_key
        WHERE a.idempotency_key LIKE 'slow-%' AND c.status = 'APPROVED'`,
    );
    expect(charged[0]!.n).toBe(0);
  }, 120_000);

  it("fifty identical requests with one key: one order for all, and the order limit spent once", async () => {
    const api = await env.client(env.actor("CUSTOMER"));
    const key = `same-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.order.place.mutate(input(key)).then(
          (r) => r.orderId,
          (e: { data?: { reason?: string } }) => e.data?.reason ?? "NETWORK",
        ),
      ),
    );
    expect(new Set(answers).size).toBe(1);
    const [orderId] = answers;
    expect((await api.order.get.query({ orderId: orderId! })).status).toBe("PLACED");
    // Later retries of the same key answer the same order, still without spending.
    for (let i = 0; i < 10; i++) expect((await api.order.place.mutate(input(key))).orderId).toBe(orderId);
    // The budget is 5 a minute and one was spent: four new orders go through, the fifth does not.
    for (let i = 0; i < 4; i++) await api.order.place.mutate(input(`new-${randomUUID()}`));
    const over = await api.order.place.mutate(input(`new-${randomUUID()}`)).catch((e) => e);
    expect(over.data?.reason).toBe("RATE_LIMITED");
  }, 60_000);
});
