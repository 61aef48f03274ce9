import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextNames } from "../../src/platform/config.js";
import { TestEnv, waitFor } from "./harness.js";
import { fishShop, orderInput, riders, seedAndSync, warmUpCheckout } from "./fixtures.js";

describe("order to door: every context in its own process", () => {
  const env = new TestEnv();

  beforeAll(async () => {
    await env.setup();
    await env.startAll([...contextNames]);
    await seedAndSync(env);
    await warmUpCheckout(env);
  }, 180_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await env.teardown();
  });

  it("happy path: placed → … → delivered, fee settled once, My page and its SSE stream see every step in order", async () => {
    const customer = env.actor("CUSTOMER");
    const api = await env.client(customer);
    const owner = await env.client(fishShop.owner);
    const rider = await env.client(riders[0]!);

    // A subscribed My page client, as the browser tab would be.
    const streamed: { id: string; kind: string; status?: string }[] = [];
    // The customer is new: "0" replays the feed from its start, so no change can slip in
    // between opening the stream and its first read.
    const sub = api.mypage.live.subscribe(
      { lastEventId: "0" },
      {
        onData: (e: unknown) => {
          const { id, data } = e as { id: string; data: { kind: string; payload: { status?: string } } };
          streamed.push({ id, kind: data.kind, status: data.payload.status });
        },
      },
    );

    const { orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`));
    const status = async () => (await api.order.get.query({ orderId })).status;
    const ticket = await waitFor("the kitchen ticket", async () =>
      (await owner.store.board.query()).find((t: { orderId: string }) => t.orderId === orderId),
    );

    await owner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 20 });
    await waitFor("ACCEPTED", async () => (await status()) === "ACCEPTED");
    await owner.store.startCooking.mutate({ ticketId: ticket.id });
    await waitFor("COOKING", async () => (await status()) === "COOKING");
    await owner.store.markReady.mutate({ ticketId: ticket.id });
    await waitFor("READY", async () => (await status()) === "READY");
    await owner.store.callRider.mutate({ ticketId: ticket.id, feeKrw: 3500 });
    expect(
      await env.query(`SELECT fee_krw, status FROM payment.rider_fees WHERE order_id = $1`, [orderId]),
    ).toEqual([{ fee_krw: 3500, status: "REGISTERED" }]);

    await rider.delivery.setOnline.mutate({ online: true });
    const call = await waitFor("the rider call", async () =>
      (await rider.delivery.openCalls.query()).find((c: { orderId: string }) => c.orderId === orderId),
    );
    await rider.delivery.accept.mutate({ riderCallId: call.id });
    await waitFor("RIDER_ASSIGNED", async () => (await status()) === "RIDER_ASSIGNED");
    await rider.delivery.pickedUp.mutate({ riderCallId: call.id });
    await waitFor("PICKED_UP", async () => (await status()) === "PICKED_UP");
    await rider.delivery.delivered.mutate({ riderCallId: call.id });
    await waitFor("DELIVERED", async () => (await status()) === "DELIVERED");

    // Exactly one settlement of the rider's fee.
    await waitFor("the settlement", async () => {
      const rows = await env.query(`SELECT settlement_status FROM delivery.rider_calls WHERE order_id = $1`, [
        orderId,
      ]);
      return rows[0]?.settlement_status === "SETTLED";
    });
    expect(
      await env.query(`SELECT fee_krw, rider_id FROM payment.settlements WHERE order_id = $1`, [orderId]),
    ).toEqual([{ fee_krw: 3500, rider_id: riders[0]!.userId }]);

    const steps = ["PLACED", "ACCEPTED", "COOKING", "READY", "RIDER_ASSIGNED", "PICKED_UP", "DELIVERED"];
    const view = await waitFor("My page to show delivery", async () => {
      const v = await api.mypage.order.query({ orderId });
      return v.status === "DELIVERED" ? v : null;
    });
    expect((view.timeline as { status: string }[]).map((t) => t.status)).toEqual(steps);

    // Notifications travel two more hops (order → notification → mypage) than order entries.
    await waitFor(
      "the SSE client to receive every step and its notification",
      async () =>
        streamed.filter((s) => s.kind === "ORDER").length >= steps.length &&
        streamed.filter((s) => s.kind === "NOTIFICATION").length >= steps.length,
    );
    sub.unsubscribe();
    expect(streamed.filter((s) => s.kind === "ORDER").map((s) => s.status)).toEqual(steps);
    // Feed ids only grow: a reconnect resumes from the last one.
    const ids = streamed.map((s) => Number(s.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Every status change also reached the customer as a notification on the same stream.
    expect(streamed.filter((s) => s.kind === "NOTIFICATION").length).toBeGreaterThanOrEqual(steps.length);
  }, 120_000);

  /** Drives a fresh order to `target` through the shop and rider screens' procedures. */
  async function orderAt(target: "PLACED" | "ACCEPTED" | "COOKING" | "READY" | "RIDER_ASSIGNED") {
    const customer = env.actor("CUSTOMER");
    const api = await env.client(customer);
    const owner = await env.client(fishShop.owner);
    const { orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`));
    const until = (s: string) =>
      waitFor(s, async () => (await api.order.get.query({ orderId })).status === s);
    const ticket = await waitFor("the ticket", async () =>
      (await owner.store.board.query()).find((t: { orderId: string }) => t.orderId === orderId),
    );
    const steps: [string, () => Promise<unknown>][] = [
      ["ACCEPTED", () => owner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 15 })],
      ["COOKING", () => owner.store.startCooking.mutate({ ticketId: ticket.id })],
      ["READY", () => owner.store.markReady.mutate({ ticketId: ticket.id })],
    ];
    let callId: string | null = null;
    for (const [status, act] of steps) {
      if (target === "PLACED") break;
      await act();
      await until(status);
      if (status === target) break;
    }
    if (target === "RIDER_ASSIGNED") {
      const rider = await env.client(riders[1]!);
      await owner.store.callRider.mutate({ ticketId: ticket.id, feeKrw: 4000 });
      await rider.delivery.setOnline.mutate({ online: true });
      const call = await waitFor("the call", async () =>
        (await rider.delivery.openCalls.query()).find((c: { orderId: string }) => c.orderId === orderId),
      );
      await rider.delivery.accept.mutate({ riderCallId: call.id });
      await until("RIDER_ASSIGNED");
      callId = call.id;
    }
    return { orderId, api, customer, ticketId: ticket.id as string, callId };
  }

  const refunds = (orderId: string) =>
    env.query(`SELECT amount_krw FROM payment.ledger_entries WHERE order_id = $1 AND kind = 'REFUND'`, [
      orderId,
    ]);
  const ticketStatus = async (orderId: string) =>
    (
      await env.query<{ status: string }>(`SELECT status FROM store.tickets WHERE order_id = $1`, [orderId])
    )[0]?.status;
  const refunded = (orderId: string) =>
    waitFor("the refund to reach the order", async () => {
      const rows = await env.query<{ refunded_krw: number | null }>(
        `SELECT refunded_krw FROM ordering.orders WHERE id = $1`,
        [orderId],
      );
      return rows[0]?.refunded_krw != null;
    });

  for (const state of ["PLACED", "ACCEPTED"] as const) {
    it(`customer cancels in ${state}: refunded once, ticket cancelled`, async () => {
      const { orderId, api } = await orderAt(state);
      await api.order.cancel.mutate({ orderId });
      await refunded(orderId);
      await waitFor("the ticket to be cancelled", async () => (await ticketStatus(orderId)) === "CANCELLED");
      expect(await refunds(orderId)).toEqual([{ amount_krw: -62000 }]);
      expect(await env.query(`SELECT status FROM payment.payments WHERE order_id = $1`, [orderId])).toEqual([
        { status: "REFUNDED" },
      ]);
      const again = await api.order.cancel.mutate({ orderId }).catch((e) => e);
      expect(again.data?.code).toBe("CONFLICT");
      const view = await waitFor("My page to show the refund", async () => {
        const v = await api.mypage.order.query({ orderId });
        return v.refundedKrw != null ? v : null;
      });
      expect(view.status).toBe("CANCELLED");
    }, 60_000);
  }

  it("two rider calls at once with different fees: one wins, and payment holds the fee of that call", async () => {
    const { orderId, ticketId } = await orderAt("READY");
    const owner = await env.client(fishShop.owner);
    const results = await Promise.allSettled([
      owner.store.callRider.mutate({ ticketId, feeKrw: 3000 }),
      owner.store.callRider.mutate({ ticketId, feeKrw: 4500 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [ticket] = await env.query<{ rider_fee_krw: number }>(
      `SELECT rider_fee_krw FROM store.tickets WHERE order_id = $1`,
      [orderId],
    );
    const [fee] = await env.query<{ fee_krw: number }>(
      `SELECT fee_krw FROM payment.rider_fees WHERE order_id = $1`,
      [orderId],
    );
    expect(fee!.fee_krw).toBe(ticket!.rider_fee_krw);
    const call = await waitFor(
      "the rider call",
      async () =>
        (
          await env.query<{ fee_krw: number }>(
            `SELECT fee_krw FROM delivery.rider_calls WHERE order_id = $1`,
            [orderId],
          )
        )[0],
    );
    expect(call.fee_krw).toBe(ticket!.rider_fee_krw);
  });

  it("customer cancel in COOKING is refused with a clear reason", async () => {
    const { orderId, api } = await orderAt("COOKING");
    const err = await api.order.cancel.mutate({ orderId }).catch((e) => e);
    expect(err.data?.code).toBe("CONFLICT");
    expect(err.data?.reason).toBe("CANCEL_NOT_ALLOWED");
    expect(err.message).toMatch(/already started preparing/);
    expect((await api.order.get.query({ orderId })).status).toBe("COOKING");
    expect(await refunds(orderId)).toEqual([]);
  }, 60_000);

  it("shop rejects a new order: cancelled and refunded once", async () => {
    const { orderId, api, ticketId } = await orderAt("PLACED");
    const owner = await env.client(fishShop.owner);
    await owner.store.reject.mutate({ ticketId, reason: "재료 소진" });
    await refunded(orderId);
    const order = await api.order.get.query({ orderId });
    expect(order).toMatchObject({ status: "CANCELLED", cancelledBy: "SHOP", cancelReason: "재료 소진" });
    expect(await refunds(orderId)).toEqual([{ amount_krw: -62000 }]);
  }, 60_000);

  it("admin cancels at RIDER_ASSIGNED: refund, ticket and rider call cancelled, rider told, My page shows the call cancelled", async () => {
    const { orderId, callId, api } = await orderAt("RIDER_ASSIGNED");
    const myPage = () => api.mypage.order.query({ orderId });
    await waitFor(
      "My page to show the rider on the way",
      async () => (await myPage()).deliveryStatus === "ACCEPTED",
    );
    const admin = await env.client(env.actor("ADMIN"));
    await admin.order.adminCancel.mutate({ orderId, reason: "고객 요청 (고객센터)" });
    await refunded(orderId);
    await waitFor("the ticket to be cancelled", async () => (await ticketStatus(orderId)) === "CANCELLED");
    await waitFor("the rider call to be cancelled", async () => {
      const rows = await env.query<{ status: string }>(
        `SELECT status FROM delivery.rider_calls WHERE id = $1`,
        [callId],
      );
      return rows[0]?.status === "CANCELLED";
    });
    expect(await refunds(orderId)).toEqual([{ amount_krw: -62000 }]);
    expect(await env.query(`SELECT status FROM payment.rider_fees WHERE order_id = $1`, [orderId])).toEqual([
      { status: "CANCELLED" },
    ]);
    const rider = await env.client(riders[1]!);
    const told = await waitFor("the rider's notification", async () =>
      (await rider.notification.list.query({})).find(
        (n: { orderId: string | null }) => n.orderId === orderId,
      ),
    );
    expect(told.kind).toBe("RiderCallCancelled");
    // The rider can no longer move the cancelled call.
    const err = await rider.delivery.pickedUp.mutate({ riderCallId: callId! }).catch((e) => e);
    expect(err.data?.code).toBe("CONFLICT");
    // The customer's My page: the order cancelled, and the rider call with it (not "on the way").
    const view = await waitFor("My page to show the rider call cancelled", async () => {
      const v = await myPage();
      return v.deliveryStatus === "CANCELLED" && v.status === "CANCELLED" ? v : null;
    });
    expect(view).toMatchObject({ cancelledBy: "ADMIN", riderName: riders[1]!.name });
  }, 60_000);

  it("the live stream resumes after a reconnect from the last id seen, missing nothing", async () => {
    const customer = env.actor("CUSTOMER");
    const api = await env.client(customer);
    const owner = await env.client(fishShop.owner);
    type Entry = { id: string; kind: string; status?: string };
    const collect = (lastEventId: string | null, into: Entry[]) =>
      api.mypage.live.subscribe(
        { lastEventId },
        {
          onData: (e: unknown) => {
            const { id, data } = e as { id: string; data: { kind: string; payload: { status?: string } } };
            into.push({ id, kind: data.kind, status: data.payload.status });
          },
        },
      );
    const first: Entry[] = [];
    const sub = collect("0", first); // a new customer: from the feed's start
    const { orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`));
    await waitFor("the first change", async () => first.some((e) => e.status === "PLACED"));
    sub.unsubscribe(); // the network drops
    const lastSeen = first.at(-1)!.id;

    // Changes happen while the customer is away.
    const ticket = await waitFor("the ticket", async () =>
      (await owner.store.board.query()).find((t: { orderId: string }) => t.orderId === orderId),
    );
    await owner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 25 });
    await owner.store.startCooking.mutate({ ticketId: ticket.id });
    await waitFor(
      "COOKING on My page",
      async () => (await api.mypage.order.query({ orderId })).status === "COOKING",
    );
    const feed = () =>
      env.query<{ seq: string }>(
        `SELECT seq::text FROM mypage.live_feed_entries WHERE feed = $1 ORDER BY seq`,
        [customer.userId],
      );
    // Wait for the notifications of those changes too: PLACED, ACCEPTED, COOKING, each twice.
    await waitFor("every change and its notification in the feed", async () => {
      const kinds = await env.feedKinds(customer.userId);
      return kinds.ORDER === 3 && kinds.NOTIFICATION === 3;
    });
    const all = await feed();
    const missed = all.map((r) => r.seq).filter((s) => Number(s) > Number(lastSeen));
    expect(missed.length).toBeGreaterThanOrEqual(2);

    const resumed: Entry[] = [];
    const sub2 = collect(lastSeen, resumed);
    await waitFor("the missed entries", async () => resumed.length >= missed.length);
    sub2.unsubscribe();
    expect(resumed.map((e) => e.id)).toEqual(missed);
    expect(resumed.filter((e) => e.kind === "ORDER").map((e) => e.status)).toEqual(["ACCEPTED", "COOKING"]);
  }, 60_000);

  it("notifications go out as signed webhooks, retried with backoff until the receiver takes them", async () => {
    const received: { body: string; signature: string; deliveryId: string }[] = [];
    let refusedDeliveryId: string | undefined;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const deliveryId = String(req.headers["x-baedal-delivery"]);
        if (refusedDeliveryId === undefined) {
          refusedDeliveryId = deliveryId;
          res.writeHead(503).end();
          return;
        }
        received.push({ body, signature: String(req.headers["x-baedal-signature"]), deliveryId });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const customer = env.actor("CUSTOMER");
      const api = await env.client(customer);
      const { secret } = await api.notification.setWebhook.mutate({ url: `http://127.0.0.1:${port}/kakao` });
      const { orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`));
      // The refused delivery comes back after its backoff; other notifications may arrive between.
      const got = await waitFor(
        "the refused delivery, retried",
        async () => received.find((r) => r.deliveryId === refusedDeliveryId),
        30_000,
      );
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got.signature) ?? [];
      expect(v1).toBe(createHmac("sha256", secret).update(`${t}.${got.body}`).digest("hex"));
      expect(JSON.parse(got.body)).toMatchObject({
        type: "notification.created",
        notification: { orderId, kind: "OrderPlaced" },
      });
      // The sender records the outcome after the receiver has answered, so wait for the row.
      const delivery = await waitFor("the delivery recorded as delivered", async () => {
        const [row] = await env.query<{ status: string; attempts: number }>(
          `SELECT status, attempts FROM notification.webhook_deliveries WHERE id = $1`,
          [got.deliveryId],
        );
        return row?.status === "DELIVERED" ? row : undefined;
      });
      expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 2 });
    } finally {
      server.close();
    }
  }, 60_000);
});
