import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMessaging, PaymentClient, type Messaging } from "@baedal/events";
import { TestEnv, waitFor } from "./harness.js";
import { fishShop, orderInput, seedAndSync, warmUpCheckout } from "./fixtures.js";

/**
 * Calling a rider registers the fee in payment synchronously, then records the call in store.
 * Whatever fails in between — the recording transaction, or the store process itself — no fee
 * may stay registered without its rider call, and the shop can call again afterwards. The
 * failures are real ones: a check constraint refusing the recording, a process killed while
 * its transaction waits on a lock.
 */
describe("a rider call that fails after its fee was registered", () => {
  const env = new TestEnv();
  /** Claims older than this are released by the store's sweeper (kept short for the crash test). */
  const storeEnv = { RIDER_CALL_RELEASE_AFTER_MS: "3000" };

  beforeAll(async () => {
    await env.setup();
    await Promise.all([env.start("catalog"), env.start("order"), env.start("payment")]);
    await Promise.all([env.start("store", { env: storeEnv }), env.start("delivery")]);
    await seedAndSync(env);
    await warmUpCheckout(env);
  }, 180_000);
  afterAll(() => env.teardown());

  /** A new order of the fish shop whose kitchen ticket is READY. */
  async function readyTicket() {
    const api = await env.client(env.actor("CUSTOMER"));
    const owner = await env.client(fishShop.owner);
    const { orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`));
    const ticket = await waitFor("the kitchen ticket", async () =>
      (await owner.store.board.query()).find((t: { orderId: string }) => t.orderId === orderId),
    );
    await owner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 10 });
    await owner.store.startCooking.mutate({ ticketId: ticket.id });
    await owner.store.markReady.mutate({ ticketId: ticket.id });
    return { orderId, ticketId: ticket.id as string };
  }

  const fees = (orderId: string) =>
    env.query<{ status: string; fee_krw: number }>(
      `SELECT status, fee_krw FROM payment.rider_fees WHERE order_id = $1`,
      [orderId],
    );
  const ledger = (orderId: string) =>
    env.query<{ amount_krw: number }>(
      `SELECT amount_krw FROM payment.ledger_entries WHERE order_id = $1 AND kind = 'RIDER_FEE'`,
      [orderId],
    );
  const riderCalled = async (orderId: string) =>
    (
      await env.query<{ called: boolean }>(
        `SELECT rider_called_at IS NOT NULL AS called FROM store.tickets WHERE order_id = $1`,
        [orderId],
      )
    )[0]!.called;
  const withdrawnEvents = async (orderId: string) =>
    (
      await env.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM payment.outbox WHERE payload->>'type' = 'RiderFeeWithdrawn' AND payload->>'orderId' = $1`,
        [orderId],
      )
    )[0]!.n;
  const callRequests = async (orderId: string) =>
    (
      await env.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM store.outbox WHERE payload->>'type' = 'RiderCallRequested' AND payload->>'orderId' = $1`,
        [orderId],
      )
    )[0]!.n;

  /** Nothing of the failed call is left: no registered fee or its ledger line, no call anywhere. */
  async function expectNoRiderCall(orderId: string) {
    // Payment commits the withdrawal first, then store drops its claim: wait for both.
    await waitFor(
      "the registered fee to be withdrawn and the claim released",
      async () =>
        (await fees(orderId)).every((f) => f.status !== "REGISTERED") &&
        (await env.query(`SELECT 1 FROM store.rider_call_claims WHERE order_id = $1`, [orderId])).length ===
          0,
      60_000,
    );
    expect(await withdrawnEvents(orderId)).toBe(1);
    expect(await ledger(orderId)).toEqual([]);
    expect(await riderCalled(orderId)).toBe(false);
    expect(await callRequests(orderId)).toBe(0);
    expect(await env.query(`SELECT 1 FROM delivery.rider_calls WHERE order_id = $1`, [orderId])).toEqual([]);
  }

  /** The shop calls again: the fee is registered once, at the new call's fee, and delivery gets the call. */
  async function callAgain(orderId: string, ticketId: string) {
    const owner = await env.client(fishShop.owner);
    await owner.store.callRider.mutate({ ticketId, feeKrw: 4_200 });
    expect(await fees(orderId)).toEqual([{ status: "REGISTERED", fee_krw: 4_200 }]);
    expect(await ledger(orderId)).toEqual([{ amount_krw: 4_200 }]);
    const calls = await waitFor("the rider call", async () => {
      const rows = await env.query<{ fee_krw: number }>(
        `SELECT fee_krw FROM delivery.rider_calls WHERE order_id = $1`,
        [orderId],
      );
      return rows.length ? rows : null;
    });
    expect(calls).toEqual([{ fee_krw: 4_200 }]);
  }

  it("the transaction recording the call fails: the fee is withdrawn, and calling again works", async () => {
    const { orderId, ticketId } = await readyTicket();
    const owner = await env.client(fishShop.owner);
    // A real failure of the recording transaction, after payment registered the fee.
    await env.query(
      `ALTER TABLE store.tickets ADD CONSTRAINT rider_call_test_refusal CHECK (rider_destination IS DISTINCT FROM '갈 수 없는 곳')`,
    );
    try {
      const err = await owner.store.callRider
        .mutate({ ticketId, destination: "갈 수 없는 곳", feeKrw: 3_800 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
    } finally {
      await env.query(`ALTER TABLE store.tickets DROP CONSTRAINT rider_call_test_refusal`);
    }
    await expectNoRiderCall(orderId);
    await callAgain(orderId, ticketId);
  }, 120_000);

  it("the store process dies between registering the fee and recording the call: the fee is withdrawn, and calling again works", async () => {
    const { orderId, ticketId } = await readyTicket();
    const owner = await env.client(fishShop.owner);
    // Holds the board feed's table so that the recording transaction waits, with the fee already
    // registered in payment; then the store process is killed (SIGKILL, like a crash).
    const blocker = new pg.Client({ connectionString: env.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE store.live_feed_entries IN SHARE MODE");
      const call = owner.store.callRider.mutate({ ticketId, feeKrw: 3_900 }).catch((e: unknown) => e);
      await waitFor("payment to register the fee", async () =>
        (await fees(orderId)).some((f) => f.status === "REGISTERED"),
      );
      await env.processes.get("store")!.kill();
      await blocker.query("ROLLBACK");
      expect(await call).toBeInstanceOf(Error);
    } finally {
      await blocker.end();
    }
    await env.start("store", { env: storeEnv });
    await expectNoRiderCall(orderId);
    await callAgain(orderId, ticketId);
  }, 120_000);

  it("payment refuses a withdrawn attempt's late registration, and a withdrawal leaves another attempt's fee alone", async () => {
    const api = await env.client(env.actor("CUSTOMER"));
    const { orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`));
    const nats: Messaging = await connectMessaging({ url: env.natsUrl, ns: env.ns, name: "rider-call-test" });
    try {
      const payment = new PaymentClient(nats);
      const register = (attemptId: string, feeKrw: number) =>
        payment.registerRiderFee({ orderId, shopId: fishShop.shopId, feeKrw, attemptId });
      const withdraw = (attemptId: string) => payment.withdrawRiderFee({ orderId, attemptId });
      const [a, b, never] = [randomUUID(), randomUUID(), randomUUID()];

      expect((await register(a, 3_000)).ok).toBe(true);
      expect(await withdraw(a)).toEqual({ ok: true, data: { withdrawn: true } });
      expect(await fees(orderId)).toEqual([]);
      expect(await ledger(orderId)).toEqual([]);
      expect(await withdraw(a)).toEqual({ ok: true, data: { withdrawn: false } }); // once
      // A's registration, still on its way when A was given up, arrives: refused.
      expect(await register(a, 3_000)).toMatchObject({ ok: false, code: "RIDER_CALL_WITHDRAWN" });
      expect(await fees(orderId)).toEqual([]);

      // The shop's next call, B, registers afresh; giving up an attempt that registered nothing
      // (or whose fee B took over) leaves B's fee alone.
      expect((await register(b, 4_100)).ok).toBe(true);
      expect(await withdraw(never)).toEqual({ ok: true, data: { withdrawn: false } });
      expect(await withdraw(a)).toEqual({ ok: true, data: { withdrawn: false } });
      expect(await fees(orderId)).toEqual([{ status: "REGISTERED", fee_krw: 4_100 }]);
      expect(await ledger(orderId)).toEqual([{ amount_krw: 4_100 }]);
      expect(await withdrawnEvents(orderId)).toBe(1);
    } finally {
      await nats.nc.close();
    }
  });
});
