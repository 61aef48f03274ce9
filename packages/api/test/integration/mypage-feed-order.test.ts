import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectMessaging,
  createEvent,
  eventSubject,
  NotificationEvents,
  OrderEvents,
  type EventEnvelope,
  type Messaging,
} from "@baedal/events";
import { TestEnv, waitFor } from "./harness.js";

/**
 * My page's one live stream carries order changes (mypage-from-order) and notifications
 * (mypage-from-notification): two consumers of two sources that run in any order. A notification
 * about a status must never reach the stream before that status. Here the notification is
 * published through real NATS before the order event it announces — as when mypage's order
 * consumer lags behind notification's — to a real mypage process.
 */
describe("My page stream: a notification never overtakes the status it announces", () => {
  const env = new TestEnv();
  let nats: Messaging;

  beforeAll(async () => {
    await env.setup();
    await env.start("mypage");
    nats = await connectMessaging({ url: env.natsUrl, ns: env.ns, name: "test-publisher" });
  }, 120_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await nats?.nc.close();
    await env.teardown();
  });

  const publish = (e: EventEnvelope) =>
    nats.js.publish(eventSubject(env.ns, e.source, e.type), JSON.stringify(e), { msgID: e.id });

  it("a 'delivered' notification that arrives first is held until the DELIVERED entry is on the stream", async () => {
    const customer = env.actor("CUSTOMER");
    const ids = { orderId: randomUUID(), customerId: customer.userId, shopId: randomUUID() };
    const at = () => new Date().toISOString();
    const placed = createEvent(OrderEvents.OrderPlaced, {
      ...ids,
      seq: 1,
      status: "PLACED",
      at: at(),
      shopName: "바다회센터",
      shopAddress: "서울 마포구",
      lines: [{ menuItemId: randomUUID(), name: "모둠회 (대)", unitPriceKrw: 59000, quantity: 1 }],
      itemsTotalKrw: 59000,
      deliveryFeeKrw: 3000,
      totalKrw: 62000,
      deliveryAddress: "서울 마포구 월드컵북로 396",
      phone: "010-1234-5678",
      note: "",
    });
    const delivered = createEvent(
      OrderEvents.OrderDelivered,
      { ...ids, seq: 7, status: "DELIVERED", at: at() },
      null,
    );
    const told = createEvent(
      NotificationEvents.NotificationCreated,
      {
        notificationId: randomUUID(),
        recipientId: customer.userId,
        recipientRole: "CUSTOMER",
        orderId: ids.orderId,
        kind: "OrderDelivered",
        title: "배달이 완료되었습니다",
        body: "맛있게 드세요!",
      },
      delivered.id,
    );

    const feed = () =>
      env.query<{ seq: string; kind: string; status: string | null; kind_of: string | null }>(
        `SELECT seq::text, payload->>'kind' AS kind, payload->'payload'->>'status' AS status,
                payload->'payload'->>'kind' AS kind_of
           FROM mypage.live_feed_entries WHERE feed = $1 ORDER BY seq`,
        [customer.userId],
      );
    const failed = () => env.consumerCount("mypage", "mypage-from-notification", "failed");

    await publish(placed);
    await waitFor("the PLACED entry", async () => (await feed()).length === 1);

    // The notification first: mypage takes it and either writes it (the fault) or holds it
    // (in live_feed_held; a consumer that retries it instead counts a failure).
    const failedBefore = await failed();
    const held = async () =>
      (
        await env.query(
          `SELECT 1 FROM mypage.live_feed_held WHERE payload->'payload'->>'notificationId' = $1`,
          [told.data.notificationId],
        )
      ).length > 0;
    await publish(told);
    await waitFor(
      "mypage to have taken the notification",
      async () => (await feed()).length === 2 || (await held()) || (await failed()) > failedBefore,
    );
    // Then the status it announces.
    await publish(delivered);
    await waitFor(
      "the DELIVERED entry and the notification",
      async () => (await feed()).length === 3,
      60_000,
    );

    // Held in the database, not retried through NATS.
    expect(await failed()).toBe(failedBefore);
    expect(await held()).toBe(false);
    expect((await feed()).map((e) => [e.kind, e.status ?? e.kind_of])).toEqual([
      ["ORDER", "PLACED"],
      ["ORDER", "DELIVERED"],
      ["NOTIFICATION", "OrderDelivered"],
    ]);

    // The customer's stream, replayed from its start, says the same.
    const api = await env.client(customer);
    const streamed: { kind: string; status?: string; kindOf?: string }[] = [];
    const sub = api.mypage.live.subscribe(
      { lastEventId: "0" },
      {
        onData: (e: unknown) => {
          const { data } = e as { data: { kind: string; payload: { status?: string; kind?: string } } };
          streamed.push({ kind: data.kind, status: data.payload.status, kindOf: data.payload.kind });
        },
      },
    );
    try {
      await waitFor("the stream to replay the feed", async () => streamed.length === 3);
    } finally {
      sub.unsubscribe();
    }
    expect(streamed.map((e) => (e.kind === "ORDER" ? e.status : `${e.kind}:${e.kindOf}`))).toEqual([
      "PLACED",
      "DELIVERED",
      "NOTIFICATION:OrderDelivered",
    ]);
  }, 90_000);
});
