import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextSchemas } from "../../../src/platform/schemas.js";
import { TestEnv, waitFor, type ContextProcess } from "../harness.js";
import { cards, orderInput, seedAndSync, warmUpCheckout } from "../fixtures.js";
import { failureOf, jsonLines, placeWithRetry } from "./support.js";

/**
 * SIGTERM to store, then to order, while customers keep placing orders. A stopping process
 * answers new requests with a clean 503 and finishes what it started (requests, handlers, RPC
 * replies, outbox); customers retry 503s and unanswered requests with the same idempotency key.
 * Afterwards: every order has exactly one ticket, nothing is parked, no checkout is left half
 * done, and no customer saw any other failure.
 */
describe("graceful shutdown under load", () => {
  const env = new TestEnv();
  // Slow card = 3 s at the sandbox gateway; here it must be approved: payment waits up to 6 s for
  // the card processor (its default gives up after 1.5 s), within order's 8 s RPC timeout.
  const orderEnv = { BAEDAL_RPC_TIMEOUT_MS: "8000", PAYMENT_RECONCILE_AFTER_MS: "120000", LOG_LEVEL: "info" };

  beforeAll(async () => {
    await env.setup();
    await Promise.all([
      env.start("catalog"),
      env.start("payment", { env: { SANDBOX_SLOW_MS: "3000", PAYMENT_GATEWAY_TIMEOUT_MS: "6000" } }),
      env.start("order", { env: orderEnv }),
      env.start("store", { env: { LOG_LEVEL: "info" } }),
    ]);
    await seedAndSync(env);
    await warmUpCheckout(env);
  }, 180_000);

  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await env.teardown();
  });

  /** SIGTERM; resolves with the exit code once the process has exited. */
  const terminate = async (p: ContextProcess) => {
    p.child.kill("SIGTERM");
    return p.exited;
  };

  it("stopping store and order loses and fails nothing; a request in flight during the stop completes", async () => {
    const placed: string[] = [];
    const failures: string[] = [];
    const retried = { draining: 0, busy: 0, noAnswer: 0, other503: [] as string[] };
    let loading = true;

    // Two customers placing orders back to back (a new customer each time: per-customer limits).
    const customer = async () => {
      while (loading) {
        const api = await env.client(env.actor("CUSTOMER"));
        try {
          const { orderId } = await placeWithRetry(api, orderInput(`k-${randomUUID()}`), {
            deadlineMs: 120_000,
            onRetry: (f) => {
              if (f.status === null) retried.noAnswer++;
              else if (f.reason === "DRAINING") retried.draining++;
              else if (f.reason === "PAYMENT_BUSY") retried.busy++;
              else retried.other503.push(String(f.reason));
            },
          });
          placed.push(orderId);
        } catch (err) {
          failures.push(`${JSON.stringify(failureOf(err))} ${String(err)}`);
        }
      }
    };
    const load = [customer(), customer()];
    const moreOrders = async (n: number) => {
      const target = placed.length + n;
      await waitFor(
        `${target} orders placed`,
        async () => placed.length >= target || failures.length > 0,
        90_000,
      );
    };

    try {
      await moreOrders(3);

      // Store stops while OrderPlaced events stream in; customers keep ordering meanwhile.
      expect(await terminate(env.processes.get("store")!)).toBe(0);
      const stoppedStore = env.processes.get("store")!;
      await moreOrders(3);
      await env.start("store", { env: { LOG_LEVEL: "info" } });
      await moreOrders(3);

      // Order stops while a slow checkout (3 s at the card gateway) is in flight: that request
      // completes, and requests arriving meanwhile get the draining 503.
      const slowActor = env.actor("CUSTOMER");
      const slowCustomer = await env.client(slowActor);
      const slowOrder = slowCustomer.order.place.mutate(orderInput(`k-${randomUUID()}`, cards.slow));
      // In flight: order has recorded the checkout and is waiting on the card gateway.
      await waitFor("the slow checkout to be in flight", async () => {
        const rows = await env.query(`SELECT 1 FROM ordering.checkout_attempts WHERE customer_id = $1`, [
          slowActor.userId,
        ]);
        return rows.length > 0;
      });
      const order = env.processes.get("order")!;
      const exitCode = terminate(order);
      const { orderId: slowId } = await slowOrder;
      placed.push(slowId);
      expect(await exitCode).toBe(0);
      await env.start("order", { env: orderEnv });
      await moreOrders(3);

      // The logs of a stop: draining first, then stopped, and nothing at error level.
      for (const p of [stoppedStore, order]) {
        const lines = jsonLines(p);
        const draining = lines.findIndex((l) => l.msg === "draining");
        expect(draining, `${p.name} logged draining`).toBeGreaterThanOrEqual(0);
        expect(
          lines.findIndex((l) => l.msg === "stopped"),
          `${p.name} logged stopped`,
        ).toBeGreaterThan(draining);
        expect(
          lines.filter((l) => l.level >= 50),
          `${p.name} error lines`,
        ).toEqual([]);
      }
    } finally {
      loading = false;
      await Promise.all(load);
    }

    expect(failures).toEqual([]);
    expect(retried.other503).toEqual([]);
    expect(
      retried.draining,
      "customers saw the draining 503 while the slow checkout finished",
    ).toBeGreaterThan(0);
    console.log(`placed ${placed.length} orders; retried`, retried);

    // Every order has exactly one ticket (store caught up with what it missed while stopped).
    await waitFor(
      `${placed.length} tickets`,
      async () => {
        const rows = await env.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM store.tickets WHERE order_id = ANY($1::uuid[])`,
          [placed],
        );
        return rows[0]!.n === placed.length;
      },
      90_000,
    );
    const dupes = await env.query(
      `SELECT order_id FROM store.tickets WHERE order_id = ANY($1::uuid[]) GROUP BY order_id HAVING count(*) > 1`,
      [placed],
    );
    expect(dupes).toEqual([]);

    // Nothing parked anywhere, and no checkout left between "authorizing" and "placed".
    for (const schema of Object.values(contextSchemas)) {
      expect(
        await env.query(`SELECT consumer, error FROM "${schema}".dead_letter`),
        `${schema} dead letters`,
      ).toEqual([]);
    }
    expect(
      await env.query(`SELECT status, count(*)::int AS n FROM ordering.checkout_attempts GROUP BY status`),
    ).toEqual([{ status: "PLACED", n: placed.length + 1 }]);
  }, 400_000);
});
