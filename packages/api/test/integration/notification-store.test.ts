/**
 * Notification's write for one event against the real Postgres (notification/adapters/
 * repository.ts): every notification the event causes is stored, a webhook delivery is queued for
 * each recipient with an active webhook only, and the delivery's payload is the notification as
 * the list reads it back — what the store wrote when it made one Prisma round trip per row.
 */
import { randomUUID } from "node:crypto";
import { createEvent, DeliveryEvents, OrderEvents } from "@baedal/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/platform/auth.js";
import { createPrisma } from "../../src/platform/db.js";
import { PrismaClient } from "../../src/notification/generated/client.js";
import { NotificationService } from "../../src/notification/service.js";
import { countingPool, TestEnv } from "./harness.js";

describe("notification store", () => {
  const env = new TestEnv();
  let pool: ReturnType<typeof countingPool>["pool"];
  let db: PrismaClient;
  let notifications: NotificationService;
  let sent = { statements: 0 };

  beforeAll(async () => {
    await env.setup();
    ({ pool, sent } = countingPool(env.databaseUrl));
    db = createPrisma(PrismaClient, pool, "notification");
    notifications = new NotificationService(db);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await pool?.end();
    await env.teardown();
  });

  it("stores a cancellation's two notifications and queues a webhook only where one is active", async () => {
    const customerId = randomUUID();
    const shopId = randomUUID();
    const ownerId = randomUUID();
    await db.webhookSubscription.create({
      data: { recipientId: customerId, url: "http://a.example/k", secret: "s" },
    });
    await db.webhookSubscription.create({
      data: { recipientId: shopId, url: "http://b.example/k", secret: "s", active: false },
    });
    const cancelled = createEvent(OrderEvents.OrderCancelled, {
      orderId: randomUUID(),
      customerId,
      shopId,
      seq: 2,
      status: "CANCELLED",
      at: "2025-01-01T14:50:00.123Z",
      cancelledBy: "CUSTOMER",
      reason: "변심",
      refundKrw: 23_000,
    });

    let used = 0;
    const events = await db.$transaction(async (tx) => {
      const from = sent.statements;
      const out = await notifications.onOrderEvent(tx, cancelled);
      used = sent.statements - from;
      return out;
    });
    // Both notifications and the one webhook delivery, in one statement (was five round trips).
    expect(used).toBe(1);

    const customer: Actor = { userId: customerId, role: "CUSTOMER", name: "고객", shopId: null };
    const owner: Actor = { userId: ownerId, role: "SHOP_OWNER", name: "사장", shopId };
    const [mine] = await notifications.list(customer, false, 10);
    const [shops] = await notifications.list(owner, false, 10);
    expect(mine).toMatchObject({ kind: "OrderCancelled", recipientRole: "CUSTOMER", readAt: null });
    expect(mine!.createdAt).toBe("2025-01-01T14:50:00.123Z");
    expect(shops).toMatchObject({ kind: "OrderCancelled", recipientRole: "SHOP_OWNER" });
    expect(events.map((e) => e.data)).toEqual(
      [mine!, shops!].map((n) => ({
        notificationId: n.id,
        recipientId: n.recipientId,
        recipientRole: n.recipientRole,
        orderId: n.orderId,
        kind: n.kind,
        title: n.title,
        body: n.body,
      })),
    );

    const deliveries = await db.webhookDelivery.findMany();
    expect(deliveries).toHaveLength(1);
    const [d] = deliveries;
    expect(d).toMatchObject({
      notificationId: mine!.id,
      recipientId: customerId,
      url: "http://a.example/k",
      status: "PENDING",
      attempts: 0,
    });
    expect(d!.payload).toEqual({ deliveryId: d!.id, type: "notification.created", notification: mine });
  });

  it("stores nothing for a cancelled call no rider had accepted", async () => {
    const before = await db.notification.count();
    const cancelled = createEvent(DeliveryEvents.RiderCallCancelled, {
      riderCallId: randomUUID(),
      orderId: randomUUID(),
      shopId: randomUUID(),
      riderId: null,
      reason: "주문 취소",
    });
    expect(await db.$transaction((tx) => notifications.onDeliveryEvent(tx, cancelled))).toEqual([]);
    expect(await db.notification.count()).toBe(before);
  });
});
