import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoId } from "../../src/seed/demo-data.js";
import type { Actor } from "../../src/platform/auth.js";
import { EventSource } from "eventsource";
import { createBaedalClient, type BaedalClient } from "../../src/client.js";
import { TestEnv, waitFor } from "./harness.js";
import { admin, fishShop, orderInput, riders, seedAndSync } from "./fixtures.js";

/**
 * Invariant 7 for the console: a shop owner sees and changes only their shop, a rider only their
 * calls, and admin procedures need the admin role. Every refusal is paired with the same call
 * succeeding for the rightful user, so a broken procedure cannot pass for a refusal.
 */
const chickenShopId = demoId("shop:basak-chicken");
const chickenOwner: Actor = {
  userId: demoId("user:owner2@baedal.dev"),
  role: "SHOP_OWNER",
  name: "정치킨",
  shopId: chickenShopId,
};

/** The tRPC error code a call ends with ("OK" when it succeeds). */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (err) {
    return (err as { data?: { code?: string } }).data?.code ?? `unexpected: ${String(err)}`;
  }
}

/** Places an order; the first calls after start-up may find payment warming up ("try again"). */
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

/** Collects what a live subscription sends until `stop()`. */
function collect(subscribe: (onData: (m: unknown) => void) => { unsubscribe(): void }) {
  const got: { id: string; data: any }[] = [];
  const sub = subscribe((m) => got.push(m as { id: string; data: any }));
  return { got, stop: () => sub.unsubscribe() };
}

describe("console authorization: owners, riders, admins", () => {
  const env = new TestEnv();
  let fishOwner: BaedalClient;
  let otherOwner: BaedalClient;
  let customer: BaedalClient;
  let rider1: BaedalClient;
  let rider2: BaedalClient;
  let adminApi: BaedalClient;
  let anonymous: BaedalClient;

  beforeAll(async () => {
    await env.setup();
    await env.startAll(["catalog", "review", "order", "payment", "store", "delivery", "report"]);
    await seedAndSync(env);
    [fishOwner, otherOwner, customer, rider1, rider2, adminApi, anonymous] = await Promise.all([
      env.client(fishShop.owner),
      env.client(chickenOwner),
      env.client(env.actor("CUSTOMER")),
      env.client(riders[0]!),
      env.client(riders[1]!),
      env.client(admin),
      // Signed out, from the app's origin (as a browser would call; not refused as CSRF first).
      createBaedalClient({
        urlFor: env.urlFor,
        headers: () => ({ origin: "http://127.0.0.1:3001" }),
        EventSource: EventSource as unknown as typeof globalThis.EventSource,
      }),
    ]);
  }, 180_000);
  afterAll(() => env.teardown());

  it("a shop owner cannot see or act on another shop's orders", async () => {
    const orderId = await place(customer);
    const ticket = await waitFor("the fish shop's ticket", async () =>
      (await fishOwner.store.board.query()).find((t) => t.orderId === orderId),
    );

    // The other owner's live board, open while the fish shop's order moves.
    const otherLive = collect((onData) => otherOwner.store.live.subscribe({}, { onData }));

    expect((await otherOwner.store.board.query()).some((t) => t.orderId === orderId)).toBe(false);
    expect(await outcome(otherOwner.store.ticket.query({ ticketId: ticket.id }))).toBe("NOT_FOUND");
    expect(await outcome(otherOwner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 10 }))).toBe("NOT_FOUND");
    expect(await outcome(otherOwner.store.reject.mutate({ ticketId: ticket.id, reason: "no" }))).toBe("NOT_FOUND");
    expect(await outcome(otherOwner.order.get.query({ orderId }))).toBe("NOT_FOUND");

    // The rightful owner can do exactly that; the other board heard nothing of it.
    expect(await outcome(fishOwner.store.ticket.query({ ticketId: ticket.id }))).toBe("OK");
    expect(await outcome(fishOwner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 10 }))).toBe("OK");
    expect(await outcome(otherOwner.store.startCooking.mutate({ ticketId: ticket.id }))).toBe("NOT_FOUND");
    expect(await outcome(fishOwner.store.startCooking.mutate({ ticketId: ticket.id }))).toBe("OK");
    await waitFor("the other board's snapshot", async () => otherLive.got.length > 0);
    await new Promise((r) => setTimeout(r, 500));
    otherLive.stop();
    const seen = JSON.stringify(otherLive.got);
    expect(otherLive.got[0]!.data.kind).toBe("snapshot");
    expect(seen).not.toContain(orderId);
    expect(seen).not.toContain(ticket.id);
  });

  it("a shop owner cannot see or change another shop's menu", async () => {
    const fishMenu = await fishOwner.catalog.myMenu.query();
    const item = fishMenu[0]!;
    expect(item.shopId).toBe(fishShop.shopId);
    expect((await otherOwner.catalog.myMenu.query()).some((i) => i.id === item.id)).toBe(false);
    expect(await outcome(otherOwner.catalog.updateItem.mutate({ itemId: item.id, priceKrw: 100 }))).toBe("NOT_FOUND");
    expect(await outcome(otherOwner.catalog.setSoldOut.mutate({ itemId: item.id, soldOut: true }))).toBe("NOT_FOUND");
    expect(await outcome(otherOwner.catalog.deleteItem.mutate({ itemId: item.id }))).toBe("NOT_FOUND");
    expect(await outcome(otherOwner.catalog.withdrawReview.mutate({ itemId: item.id }))).toBe("NOT_FOUND");
    // Nothing changed; the owner can change it.
    expect((await fishOwner.catalog.myMenu.query()).find((i) => i.id === item.id)).toEqual(item);
    expect(await outcome(fishOwner.catalog.setSoldOut.mutate({ itemId: item.id, soldOut: true }))).toBe("OK");
    expect(await outcome(fishOwner.catalog.setSoldOut.mutate({ itemId: item.id, soldOut: false }))).toBe("OK");
    // A shop id in the input is not how a shop is chosen (.strict(): mass assignment refused).
    expect(
      await outcome(
        otherOwner.catalog.createItem.mutate({ name: "x", priceKrw: 1000, category: "c", shopId: fishShop.shopId } as never),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("a rider cannot move or complete another rider's call", async () => {
    const orderId = await place(customer);
    const ticket = await waitFor("the ticket", async () =>
      (await fishOwner.store.board.query()).find((t) => t.orderId === orderId),
    );
    await fishOwner.store.accept.mutate({ ticketId: ticket.id, prepMinutes: 10 });
    await fishOwner.store.startCooking.mutate({ ticketId: ticket.id });
    await fishOwner.store.markReady.mutate({ ticketId: ticket.id });
    await fishOwner.store.callRider.mutate({ ticketId: ticket.id, feeKrw: 3000 });
    await rider1.delivery.setOnline.mutate({ online: true });
    await rider2.delivery.setOnline.mutate({ online: true });
    const call = await waitFor("the open call", async () =>
      (await rider1.delivery.openCalls.query()).find((c) => c.orderId === orderId),
    );

    // Rider 2 follows the live feed while rider 1 takes the call.
    const live2 = collect((onData) => rider2.delivery.live.subscribe({}, { onData }));
    await waitFor("rider 2's snapshot", async () => live2.got.length > 0);

    await rider1.delivery.accept.mutate({ riderCallId: call.id });
    expect(await outcome(rider2.delivery.accept.mutate({ riderCallId: call.id }))).toBe("CONFLICT");
    expect(await outcome(rider2.delivery.pickedUp.mutate({ riderCallId: call.id }))).toBe("NOT_FOUND");
    expect(await outcome(rider1.delivery.pickedUp.mutate({ riderCallId: call.id }))).toBe("OK");
    expect(await outcome(rider2.delivery.delivered.mutate({ riderCallId: call.id }))).toBe("NOT_FOUND");
    expect((await rider2.delivery.myCalls.query()).calls.some((c) => c.id === call.id)).toBe(false);
    expect(await outcome(rider1.delivery.delivered.mutate({ riderCallId: call.id }))).toBe("OK");
    expect((await rider1.delivery.myCalls.query()).calls.find((c) => c.id === call.id)?.status).toBe("COMPLETED");

    // Rider 2 saw the call leave the open calls, but not who took it nor anything after.
    await waitFor("rider 2 to see the call taken", async () =>
      live2.got.some((m) => m.data.kind === "change" && m.data.change.id === call.id && m.data.change.status === "ACCEPTED"),
    );
    await new Promise((r) => setTimeout(r, 500));
    live2.stop();
    const about = live2.got.filter((m) => m.data.kind === "change" && m.data.change.id === call.id);
    expect(about.map((m) => m.data.change.status)).toEqual(["ACCEPTED"]);
    expect(about[0]!.data.change.riderId).toBeNull();
    expect(JSON.stringify(live2.got)).not.toContain(riders[0]!.userId);
  });

  it("only admins reach admin procedures", async () => {
    const orderId = randomUUID();
    const adminCalls: [string, (api: BaedalClient) => Promise<unknown>][] = [
      ["review.queue", (api) => api.review.queue.query()],
      ["review.approve", (api) => api.review.approve.mutate({ reviewCaseId: randomUUID() })],
      ["review.reject", (api) => api.review.reject.mutate({ reviewCaseId: randomUUID(), reason: "x" })],
      ["report.deliveries", (api) => api.report.deliveries.query({})],
      ["report.daily", (api) => api.report.daily.query({ days: 7 })],
      ["report.summary", (api) => api.report.summary.query()],
      ["report.orderHistory", (api) => api.report.orderHistory.query({ orderId })],
      ["order.adminFind", (api) => api.order.adminFind.query({ phone: "010-1234" })],
      ["order.adminCancel", (api) => api.order.adminCancel.mutate({ orderId, reason: "x" })],
      ["store.ops.deadLetters", (api) => api.store.ops.deadLetters.query({})],
      ["delivery.ops.replay", (api) => api.delivery.ops.replay.mutate({ id: 1 })],
      ["order.ops.discard", (api) => api.order.ops.discard.mutate({ id: 1 })],
    ];
    for (const [name, call] of adminCalls) {
      for (const [who, api] of [
        ["customer", customer],
        ["owner", fishOwner],
        ["rider", rider1],
      ] as const) {
        expect(`${name} as ${who}: ${await outcome(call(api))}`).toBe(`${name} as ${who}: FORBIDDEN`);
      }
      expect(`${name} signed out: ${await outcome(call(anonymous))}`).toBe(`${name} signed out: UNAUTHORIZED`);
    }
    // The admin gets through (the made-up ids are simply not found).
    for (const [name, call] of adminCalls) {
      const expected = ["review.approve", "review.reject", "order.adminCancel", "delivery.ops.replay", "order.ops.discard"].includes(name)
        ? "NOT_FOUND"
        : "OK";
      expect(`${name} as admin: ${await outcome(call(adminApi))}`).toBe(`${name} as admin: ${expected}`);
    }
  });

  it("each role stays on its own screens", async () => {
    expect(await outcome(customer.store.board.query())).toBe("FORBIDDEN");
    expect(await outcome(rider1.store.board.query())).toBe("FORBIDDEN");
    expect(await outcome(fishOwner.delivery.openCalls.query())).toBe("FORBIDDEN");
    expect(await outcome(customer.delivery.accept.mutate({ riderCallId: randomUUID() }))).toBe("FORBIDDEN");
    expect(await outcome(rider1.catalog.createItem.mutate({ name: "x", priceKrw: 1000, category: "c" }))).toBe("FORBIDDEN");
    expect(await outcome(adminApi.store.accept.mutate({ ticketId: randomUUID(), prepMinutes: 10 }))).toBe("FORBIDDEN");
    expect(await outcome(anonymous.store.board.query())).toBe("UNAUTHORIZED");
  });
});
