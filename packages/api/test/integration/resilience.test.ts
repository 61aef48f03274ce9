import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMessaging, eventSubject, type Messaging } from "@baedal/events";
import { contextNames } from "../../src/platform/config.js";
import { TestEnv, waitFor } from "./harness.js";
import { fishShop, orderInput, seedAndSync, warmUpCheckout } from "./fixtures.js";

/** Invariants 4, 5 and the messaging guarantees, with real processes killed and restarted. */
describe("resilience: stopped workers, replicas, redelivery, poison, crashes", () => {
  const env = new TestEnv();
  let nats: Messaging;

  beforeAll(async () => {
    await env.setup();
    await env.startAll([...contextNames]);
    await seedAndSync(env);
    await warmUpCheckout(env);
    nats = await connectMessaging({ url: env.natsUrl, ns: env.ns, name: "test-publisher" });
  }, 180_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await nats?.nc.close();
    await env.teardown();
  });

  const tickets = (orderIds: string[]) =>
    env.query<{ order_id: string; n: number }>(
      `SELECT order_id, count(*)::int AS n FROM store.tickets WHERE order_id = ANY($1::uuid[]) GROUP BY order_id`,
      [orderIds],
    );
  const placeOrders = async (n: number) => {
    const api = await env.client(env.actor("CUSTOMER"));
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await api.order.place.mutate(orderInput(`k-${randomUUID()}`))).orderId);
    return ids;
  };
  const everyOrderHasOneTicket = (ids: string[]) =>
    waitFor(`${ids.length} tickets`, async () => {
      const rows = await tickets(ids);
      return rows.length === ids.length && rows.every((r) => r.n === 1);
    }, 30_000);

  it("store stopped: customers still order; on restart store processes every missed event", async () => {
    await env.processes.get("store")!.kill();
    const ids = await placeOrders(3);
    expect(await tickets(ids)).toEqual([]);
    await env.start("store");
    await everyOrderHasOneTicket(ids);
  }, 90_000);

  it("two replicas of store and delivery share one consumer: every event handled once", async () => {
    await env.processes.get("store")!.kill();
    await env.start("store", { env: { BAEDAL_CONSUMER_BATCH: "1" } });
    await env.start("store", { replica: "b", env: { BAEDAL_CONSUMER_BATCH: "1" } });
    await env.start("delivery", { replica: "b" });
    const handledBy = (key: string) => env.consumerHandled(key, "store-from-order");
    // Both replicas bound to the shared consumer (readiness), so both get a share of the work.
    for (const key of ["store", "store#b"]) {
      await waitFor(`${key} ready`, async () => (await fetch(`${env.processes.get(key)!.url}/readyz`)).ok);
    }
    const before = (await handledBy("store")) + (await handledBy("store#b"));
    const ids = await placeOrders(12);
    await everyOrderHasOneTicket(ids);
    const a = await handledBy("store");
    const b = await handledBy("store#b");
    expect(a + b - before).toBe(12);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);

    // Delivery replicas: each requested rider call becomes exactly one call, opened once.
    const owner = await env.client(fishShop.owner);
    const board = await owner.store.board.query();
    for (const id of ids.slice(0, 4)) {
      const t = board.find((x: { orderId: string }) => x.orderId === id)!;
      await owner.store.accept.mutate({ ticketId: t.id, prepMinutes: 10 });
      await owner.store.startCooking.mutate({ ticketId: t.id });
      await owner.store.markReady.mutate({ ticketId: t.id });
      await owner.store.callRider.mutate({ ticketId: t.id, feeKrw: 3000 });
    }
    await waitFor("4 rider calls", async () => {
      const rows = await env.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM delivery.rider_calls WHERE order_id = ANY($1::uuid[])`,
        [ids.slice(0, 4)],
      );
      return rows[0]!.n === 4;
    });
    const opened = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery.outbox WHERE payload->>'type' = 'RiderCallOpened' AND payload->>'orderId' = ANY($1)`,
      [ids.slice(0, 4)],
    );
    expect(opened[0]!.n).toBe(4);
    await env.processes.get("store#b")!.kill();
    await env.processes.get("delivery#b")!.kill();
  }, 120_000);

  it("the same event delivered twice changes nothing the second time", async () => {
    const [orderId] = await placeOrders(1);
    await everyOrderHasOneTicket([orderId!]);
    const [row] = await env.query<{
      payload: { id: string; type: string; source: string; data: { customerId: string } };
    }>(
      `SELECT payload FROM ordering.outbox WHERE payload->>'orderId' = $1 AND payload->>'type' = 'OrderPlaced'`,
      [orderId],
    );
    const customerId = row!.payload.data.customerId;
    // My page has the original and its notification before we count.
    const feedBefore = await waitFor("My page to show the order and its notification", async () => {
      const kinds = await env.feedKinds(customerId, orderId);
      return kinds.ORDER === 1 && kinds.NOTIFICATION === 1 ? kinds : undefined;
    });
    const consumers = [
      ["store", "store-from-order"],
      ["mypage", "mypage-from-order"],
      ["notification", "notification-from-order"],
    ] as const;
    const duplicates = () => Promise.all(consumers.map(([c, n]) => env.consumerCount(c, n, "duplicates")));
    const duplicatesBefore = await duplicates();
    // A redelivery past JetStream's de-duplication: same event id, new message.
    const e = row!.payload;
    await nats.js.publish(eventSubject(env.ns, e.source, e.type), JSON.stringify(e), { msgID: `redeliver-${randomUUID()}` });
    // Each consumer recognises it as a duplicate (acked, not applied: `handled` stays put).
    await waitFor("store, My page and notification to take the duplicate", async () => {
      const now = await duplicates();
      return now.every((n, i) => n > duplicatesBefore[i]!);
    });
    // A notification written by mistake would reach My page one hop later: give it that hop.
    await waitFor("mypage-from-notification to be idle", async () => {
      const a = await env.consumerHandled("mypage", "mypage-from-notification");
      await new Promise((r) => setTimeout(r, 300));
      return (await env.consumerHandled("mypage", "mypage-from-notification")) === a;
    });
    expect(await tickets([orderId!])).toEqual([{ order_id: orderId, n: 1 }]);
    expect(await env.feedKinds(customerId, orderId)).toEqual(feedBefore);
    expect(
      await env.query(`SELECT count(*)::int AS n FROM store.processed_event WHERE event_id = $1`, [e.id]),
    ).toEqual([{ n: 1 }]);
  }, 60_000);

  it("a poison message is parked after bounded retries and does not block the ones behind it", async () => {
    // An unreadable message and an event whose handler keeps failing (a ticket for an unknown order).
    await nats.js.publish(eventSubject(env.ns, "order", "OrderPlaced"), "{not json", { msgID: randomUUID() });
    const ghost = {
      id: randomUUID(),
      type: "TicketAccepted",
      version: 1,
      source: "store",
      occurredAt: new Date().toISOString(),
      orderId: randomUUID(),
      key: "ghost",
      causationId: null,
      data: { ticketId: randomUUID(), orderId: randomUUID(), shopId: fishShop.shopId, prepMinutes: 10 },
    };
    ghost.key = ghost.data.orderId;
    ghost.orderId = ghost.data.orderId;
    await nats.js.publish(eventSubject(env.ns, "store", "TicketAccepted"), JSON.stringify(ghost), { msgID: ghost.id });

    // Orders behind the poison still flow.
    const ids = await placeOrders(2);
    await everyOrderHasOneTicket(ids);

    const parked = await waitFor("the failing event to be parked", async () => {
      const rows = await env.query<{ attempts: number; error: string }>(
        `SELECT attempts, error FROM ordering.dead_letter WHERE event_id = $1`,
        [ghost.id],
      );
      return rows[0];
    }, 30_000);
    expect(parked.attempts).toBe(4);
    const unreadable = await env.query(`SELECT consumer FROM store.dead_letter WHERE event_id IS NULL`);
    expect(unreadable).toEqual([{ consumer: "store-from-order" }]);
  }, 60_000);

  it("a worker killed between its commit and its publish loses no event (outbox)", async () => {
    await env.processes.get("order")!.kill();
    const crashing = await env.start("order", { env: { BAEDAL_FAULTS: "outbox.beforePublish" } });
    const api = await env.client(env.actor("CUSTOMER"));
    await api.order.place.mutate(orderInput(`k-${randomUUID()}`)).catch(() => undefined);
    await crashing.exited;
    const [order] = await env.query<{ id: string }>(
      `SELECT o.id FROM ordering.orders o JOIN ordering.outbox x ON x.payload->>'orderId' = o.id::text
        WHERE x.published_at IS NULL`,
    );
    expect(order).toBeDefined(); // committed, not yet published
    await env.start("order");
    await everyOrderHasOneTicket([order!.id]);
  }, 90_000);

  it("a worker killed between its handler's commit and its ack applies the event once", async () => {
    await env.processes.get("store")!.kill();
    const crashing = await env.start("store", { env: { BAEDAL_FAULTS: "consumer.beforeAck" } });
    const [orderId] = await placeOrders(1);
    await crashing.exited;
    await env.start("store");
    await everyOrderHasOneTicket([orderId!]);
  }, 90_000);
});
