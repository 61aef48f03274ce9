import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, OrderEvents } from "@baedal/events";
import type { BaedalClient } from "../../src/client.js";
import { TestEnv, waitFor } from "./harness.js";
import { admin, fishShop, orderInput, riders, seedAndSync } from "./fixtures.js";

/**
 * The console's backend: the shop's live board and the riders' feed (snapshots, every change,
 * resuming with lastEventId), the owner's live menu, the order history customer service reads,
 * and the operator's dead-letter replay. Real processes, one per context.
 */
type Msg = { id: string; data: any };

function collect(subscribe: (onData: (m: unknown) => void) => { unsubscribe(): void }) {
  const got: Msg[] = [];
  const sub = subscribe((m) => got.push(m as Msg));
  return { got, stop: () => sub.unsubscribe() };
}
const changes = (got: Msg[], pick: (change: any) => boolean) =>
  got.filter((m) => m.data.kind === "change" && pick(m.data.change)).map((m) => m.data.change);

async function place(api: BaedalClient): Promise<string> {
  const input = orderInput(`k-${randomUUID()}`);
  return waitFor("the order to be placed", async () => {
    try {
      return (await api.order.place.mutate(input)).orderId;
    } catch (err) {
      if ((err as { data?: { code?: string } }).data?.code === "SERVICE_UNAVAILABLE") return null;
      throw err;
    }
  });
}

describe("console live screens and operations", () => {
  const env = new TestEnv();
  let owner: BaedalClient;
  let customer: BaedalClient;
  let rider: BaedalClient;
  let otherRider: BaedalClient;
  let adminApi: BaedalClient;

  beforeAll(async () => {
    await env.setup();
    await env.startAll(["catalog", "review", "order", "payment", "store", "delivery", "report"]);
    await seedAndSync(env);
    [owner, customer, rider, otherRider, adminApi] = await Promise.all([
      env.client(fishShop.owner),
      env.client(env.actor("CUSTOMER")),
      env.client(riders[0]!),
      env.client(riders[1]!),
      env.client(admin),
    ]);
    await rider.delivery.setOnline.mutate({ online: true });
    await otherRider.delivery.setOnline.mutate({ online: true });
  }, 180_000);
  afterAll(() => env.teardown());

  it("the board and the rider feed follow an order from checkout to the door; history has every step", async () => {
    const board = collect((onData) => owner.store.live.subscribe({}, { onData }));
    const feed = collect((onData) => rider.delivery.live.subscribe({}, { onData }));
    const otherFeed = collect((onData) => otherRider.delivery.live.subscribe({}, { onData }));
    await waitFor("three snapshots", async () => [board, feed, otherFeed].every((s) => s.got[0]?.data.kind === "snapshot"));

    const orderId = await place(customer);
    const mine = (t: { orderId: string }) => t.orderId === orderId;
    const fresh = await waitFor("the new ticket on the live board", async () => changes(board.got, mine)[0]);
    expect(fresh).toMatchObject({ status: "NEW", column: "NEW", totalKrw: expect.any(Number) });

    await owner.store.accept.mutate({ ticketId: fresh.id, prepMinutes: 20 });
    await owner.store.startCooking.mutate({ ticketId: fresh.id });
    await owner.store.markReady.mutate({ ticketId: fresh.id });
    await owner.store.callRider.mutate({ ticketId: fresh.id, feeKrw: 3500 });

    const call = await waitFor("the call on both riders' feeds", async () => {
      const a = changes(feed.got, (c) => mine(c) && c.status === "CALLED")[0];
      const b = changes(otherFeed.got, (c) => mine(c) && c.status === "CALLED")[0];
      return a && b ? a : null;
    });
    expect(call).toMatchObject({ shopName: "바다회센터", feeKrw: 3500, riderId: null });
    await rider.delivery.accept.mutate({ riderCallId: call.id });
    await rider.delivery.pickedUp.mutate({ riderCallId: call.id });
    await rider.delivery.delivered.mutate({ riderCallId: call.id });

    await waitFor("the board to show it delivered", async () =>
      changes(board.got, (t) => mine(t) && t.column === "DONE").length > 0,
    );
    await waitFor("the rider's own feed to show the fee settled", async () =>
      changes(feed.got, (c) => mine(c) && c.settlementStatus === "SETTLED").length > 0,
    );
    board.stop();
    feed.stop();
    otherFeed.stop();

    expect(changes(board.got, mine).map((t) => t.column)).toEqual([
      "NEW",
      "ACCEPTED",
      "COOKING",
      "READY",
      "READY", // the rider was called
      "WITH_RIDER",
      "WITH_RIDER", // picked up
      "DONE",
    ]);
    expect(changes(board.got, mine).find((t) => t.column === "WITH_RIDER")?.riderName).toBe(riders[0]!.name);
    // The winner's feed: open → taken by me → picked up → completed → settled.
    expect(changes(feed.got, mine).map((c) => [c.status, c.riderId === riders[0]!.userId])).toEqual([
      ["CALLED", false],
      ["ACCEPTED", false], // the open-calls feed: taken (by whom is not said there)
      ["ACCEPTED", true],
      ["PICKED_UP", true],
      ["COMPLETED", true],
      ["COMPLETED", true], // settled
    ]);
    expect(changes(otherFeed.got, mine).map((c) => c.status)).toEqual(["CALLED", "ACCEPTED"]);
    // Ids only grow, so a reconnect resumes after the last one.
    const seqs = board.got.map((m) => Number(m.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // The report hears each source on its own consumer: wait for every step asserted below.
    const steps = ["OrderPlaced", "TicketAccepted", "RiderCallRequested", "RiderCallAccepted", "OrderDelivered", "RiderFeeSettled"];
    const history = await waitFor("every step in the order's history", async () => {
      const h = await adminApi.report.orderHistory.query({ orderId });
      return steps.every((t) => h.some((e) => e.type === t)) ? h : null;
    }, 60_000);
    const types = history.map((e) => e.type);
    expect(new Set(history.map((e) => e.source)).size).toBe(4);
    expect(types.indexOf("OrderPlaced")).toBeLessThan(types.indexOf("TicketAccepted"));
  }, 120_000);

  it("a board that reconnects with lastEventId gets exactly what it missed: the cancellation and the refund", async () => {
    const first = collect((onData) => owner.store.live.subscribe({}, { onData }));
    await waitFor("the snapshot", async () => first.got.length > 0);
    // Placed after the snapshot, so the new ticket reaches the open board as a change.
    const orderId = await place(customer);
    const ticket = await waitFor("the ticket", async () =>
      (await owner.store.board.query()).find((t) => t.orderId === orderId),
    );
    await waitFor("the new ticket on the open board", async () => changes(first.got, (t) => t.id === ticket.id).length > 0);
    first.stop();
    const lastEventId = first.got.at(-1)!.id;

    // While the tablet is away the customer cancels and is refunded.
    await customer.order.cancel.mutate({ orderId, reason: "주문 실수" });
    await waitFor("the refund on the ticket", async () => {
      const rows = await env.query<{ refunded_krw: number | null }>(
        `SELECT refunded_krw FROM store.tickets WHERE id = $1`,
        [ticket.id],
      );
      return rows[0]?.refunded_krw != null;
    });

    const resumed = collect((onData) => owner.store.live.subscribe({ lastEventId }, { onData }));
    await waitFor("the missed changes", async () =>
      changes(resumed.got, (t) => t.id === ticket.id && t.refundedKrw !== null).length > 0,
    );
    resumed.stop();
    expect(resumed.got.every((m) => m.data.kind === "change")).toBe(true); // no snapshot: it resumed
    expect(changes(resumed.got, (t) => t.id === ticket.id)).toEqual([
      expect.objectContaining({ column: "CANCELLED", cancelledBy: "CUSTOMER", cancelReason: "주문 실수", refundedKrw: null }),
      expect.objectContaining({ column: "CANCELLED", refundedKrw: ticket.totalKrw }),
    ]);
  }, 60_000);

  it("the owner's menu screen hears the review decisions", async () => {
    const menu = collect((onData) => owner.catalog.myMenuLive.subscribe({}, { onData }));
    await waitFor("the menu", async () => menu.got.length > 0);
    const item = await owner.catalog.createItem.mutate({ name: "참돔회", priceKrw: 45_000, category: "단품회" });
    const statusOf = () => menu.got.at(-1)!.data.items.find((i: { id: string }) => i.id === item.id)?.reviewStatus;
    await waitFor("the item in review", async () => statusOf() === "IN_REVIEW");
    const shown = async () => (await customer.catalog.shop.query({ shopId: fishShop.shopId })).items.some((i) => i.id === item.id);
    expect(await shown()).toBe(false);

    const kase = await waitFor("the review case", async () =>
      (await adminApi.review.queue.query()).find((c) => c.menuItemId === item.id),
    );
    expect(kase).toMatchObject({ shopName: "바다회센터", listed: null });
    await adminApi.review.reject.mutate({ reviewCaseId: kase.id, reason: "사진과 설명이 필요해요" });
    await waitFor("the rejection on the owner's screen", async () => statusOf() === "REJECTED");
    expect(menu.got.at(-1)!.data.items.find((i: { id: string }) => i.id === item.id).rejectReason).toBe("사진과 설명이 필요해요");

    await owner.catalog.updateItem.mutate({ itemId: item.id, priceKrw: 44_000 });
    const again = await waitFor("the resubmitted case", async () =>
      (await adminApi.review.queue.query()).find((c) => c.menuItemId === item.id && c.revision === 2),
    );
    await adminApi.review.approve.mutate({ reviewCaseId: again.id });
    await waitFor("the listing on the owner's screen", async () => statusOf() === "LISTED");
    menu.stop();
    await waitFor("customers to see it", shown);
  }, 60_000);

  it("an operator replays a parked event once, and can discard another", async () => {
    const orderId = await place(customer);
    const ticket = await waitFor("the ticket", async () =>
      (await owner.store.board.query()).find((t) => t.orderId === orderId),
    );
    // A cancellation store gave up on (as the consumer parks it after its last retry).
    const parked = createEvent(OrderEvents.OrderCancelled, {
      orderId,
      customerId: randomUUID(),
      shopId: fishShop.shopId,
      seq: 99,
      status: "CANCELLED",
      at: new Date().toISOString(),
      cancelledBy: "ADMIN",
      reason: "고객센터 취소",
      refundKrw: ticket.totalKrw,
    });
    const park = async (payload: unknown, eventId: string | null) =>
      (
        await env.query<{ id: string }>(
          `INSERT INTO store.dead_letter (consumer, event_id, subject, payload, error, attempts)
           VALUES ('store-from-order', $1, 'x.evt.order.OrderCancelled', $2::jsonb, 'database was down', 4) RETURNING id`,
          [eventId, JSON.stringify(payload)],
        )
      )[0]!.id;
    const id = Number(await park(parked, parked.id));
    const junk = Number(await park({ unreadable: "{not json" }, null));

    const open = await adminApi.store.ops.deadLetters.query({});
    expect(open.find((d) => d.id === id)).toMatchObject({
      context: "store",
      eventType: "OrderCancelled",
      orderId,
      error: "database was down",
      resolvedAt: null,
    });

    const board = collect((onData) => owner.store.live.subscribe({}, { onData }));
    await waitFor("the snapshot", async () => board.got.length > 0);
    const replayed = await adminApi.store.ops.replay.mutate({ id });
    expect(replayed.resolution).toMatch(/^REPLAYED/);
    expect((await owner.store.ticket.query({ ticketId: ticket.id })).status).toBe("CANCELLED");
    await waitFor("the board to hear the replayed change", async () =>
      changes(board.got, (t) => t.id === ticket.id && t.status === "CANCELLED").length > 0,
    );
    board.stop();
    // Once only.
    await expect(adminApi.store.ops.replay.mutate({ id })).rejects.toMatchObject({ data: { code: "CONFLICT" } });

    // An unreadable message cannot be replayed: it stays parked with why; discarding resolves it.
    await expect(adminApi.store.ops.replay.mutate({ id: junk })).rejects.toMatchObject({ data: { code: "CONFLICT" } });
    expect((await adminApi.store.ops.deadLetters.query({})).find((d) => d.id === junk)?.error).toMatch(/envelope/);
    expect((await adminApi.store.ops.discard.mutate({ id: junk })).resolution).toMatch(/^DISCARDED/);
    expect((await adminApi.store.ops.deadLetters.query({})).some((d) => d.id === junk || d.id === id)).toBe(false);
    expect((await adminApi.store.ops.deadLetters.query({ state: "RESOLVED" })).map((d) => d.id)).toEqual(
      expect.arrayContaining([id, junk]),
    );
  }, 60_000);
});
