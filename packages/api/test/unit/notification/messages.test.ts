import { createHmac } from "node:crypto";
import { createEvent, DeliveryEvents, OrderEvents, type OrderEvent, type OrderStatus } from "@baedal/events";
import { describe, expect, it } from "vitest";
import {
  notificationsForDeliveryEvent,
  notificationsForOrderEvent,
} from "../../../src/notification/domain/messages.js";
import {
  afterFailure,
  retryDelayMs,
  signWebhook,
  webhookMaxAttempts,
} from "../../../src/notification/domain/webhook.js";

const ids = {
  orderId: "11111111-1111-4111-8111-111111111111",
  customerId: "22222222-2222-4222-8222-222222222222",
  shopId: "33333333-3333-4333-8333-333333333333",
};
const at = "2025-01-01T10:00:00.000Z";
const riderId = "55555555-5555-4555-8555-555555555555";
const riderCallId = "66666666-6666-4666-8666-666666666666";

// Events built by the contracts (createEvent validates the data against each event's schema).
const change = (status: OrderStatus) => ({ ...ids, seq: 1, status, at });
const placed = createEvent(OrderEvents.OrderPlaced, {
  ...change("PLACED"),
  shopName: "치킨집",
  shopAddress: "a",
  lines: [
    { menuItemId: "44444444-4444-4444-8444-444444444444", name: "치킨", unitPriceKrw: 17000, quantity: 1 },
  ],
  itemsTotalKrw: 17000,
  deliveryFeeKrw: 3000,
  totalKrw: 20000,
  deliveryAddress: "b",
  phone: "010",
  note: "",
});
const accepted = createEvent(OrderEvents.OrderAccepted, {
  ...change("ACCEPTED"),
  prepMinutes: 25,
  etaAt: "2025-01-01T10:45:00.000Z",
});
const riderAssigned = createEvent(OrderEvents.OrderRiderAssigned, {
  ...change("RIDER_ASSIGNED"),
  riderCallId,
  riderId,
  riderName: "김라이더",
});

describe("notification messages", () => {
  it("tells the customer about every status change", () => {
    const changes: OrderEvent[] = [
      placed,
      accepted,
      createEvent(OrderEvents.OrderCookingStarted, change("COOKING")),
      createEvent(OrderEvents.OrderReady, change("READY")),
      riderAssigned,
      createEvent(OrderEvents.OrderPickedUp, change("PICKED_UP")),
      createEvent(OrderEvents.OrderDelivered, change("DELIVERED")),
      createEvent(OrderEvents.OrderRefunded, { ...change("CANCELLED"), refundKrw: 20000 }),
    ];
    for (const event of changes) {
      const out = notificationsForOrderEvent(event);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({
        recipientId: ids.customerId,
        recipientRole: "CUSTOMER",
        kind: event.type,
        orderId: ids.orderId,
        at,
      });
      expect(out[0]!.title.length).toBeGreaterThan(0);
    }
    const [toPlaced] = notificationsForOrderEvent(placed);
    expect(toPlaced!.title).toBe("주문이 접수되었습니다");
    expect(toPlaced!.body).toContain("20,000원");
    expect(notificationsForOrderEvent(accepted)[0]!.body).toContain("19:45"); // Asia/Seoul
    expect(notificationsForOrderEvent(riderAssigned)[0]!.body).toContain("김라이더");
  });

  it("a cancellation also tells the shop who cancelled and that it is refunded", () => {
    const out = notificationsForOrderEvent(
      createEvent(OrderEvents.OrderCancelled, {
        ...ids,
        seq: 2,
        status: "CANCELLED",
        at,
        cancelledBy: "ADMIN",
        reason: "고객 요청",
        refundKrw: 33000,
      }),
    );
    expect(out.map((n) => [n.recipientId, n.recipientRole])).toEqual([
      [ids.customerId, "CUSTOMER"],
      [ids.shopId, "SHOP_OWNER"],
    ]);
    expect(out[1]!.body).toContain("고객센터");
    expect(out[1]!.body).toContain("33,000원");
    expect(out[1]!.body).toContain("환불");
  });

  it("ignores events it has nothing to say about", () => {
    // @ts-expect-error -- no order contract has this type (the handlers never pass one); still ignored
    expect(notificationsForOrderEvent({ type: "Whatever", data: { ...ids, at } })).toEqual([]);
  });

  it("tells the rider when their call is cancelled, nobody when no rider had it", () => {
    const base = { riderCallId, orderId: ids.orderId, shopId: ids.shopId, reason: "주문 취소" };
    const cancelled = (rider: string | null) => ({
      ...createEvent(DeliveryEvents.RiderCallCancelled, { ...base, riderId: rider }),
      occurredAt: at,
    });
    const out = notificationsForDeliveryEvent(cancelled(riderId));
    expect(out).toEqual([
      expect.objectContaining({
        recipientId: riderId,
        recipientRole: "RIDER",
        title: "배차가 취소되었습니다",
        at,
      }),
    ]);
    expect(notificationsForDeliveryEvent(cancelled(null))).toEqual([]);
    const accepted = createEvent(DeliveryEvents.RiderCallAccepted, {
      riderCallId,
      orderId: ids.orderId,
      shopId: ids.shopId,
      riderId,
      riderName: "김라이더",
    });
    expect(notificationsForDeliveryEvent(accepted)).toEqual([]);
  });
});

describe("webhook signing and retries", () => {
  it("signs t.body with HMAC-SHA256 in the X-Baedal-Signature format", () => {
    const body = JSON.stringify({ hello: "세계" });
    const header = signWebhook("s3cret", body, 1_700_000_000.9);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(m).not.toBeNull();
    expect(m![1]).toBe("1700000000");
    expect(m![2]).toBe(createHmac("sha256", "s3cret").update(`1700000000.${body}`).digest("hex"));
    expect(signWebhook("other", body, 1_700_000_000)).not.toBe(header);
  });

  it("backs off exponentially, capped at 5 minutes, and fails after 8 attempts", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(20)).toBe(300_000);
    const now = new Date("2025-01-01T00:00:00Z");
    expect(afterFailure(0, now)).toEqual({
      attempts: 1,
      status: "PENDING",
      nextAttemptAt: new Date(now.getTime() + 2_000),
    });
    expect(afterFailure(webhookMaxAttempts - 2, now).status).toBe("PENDING");
    expect(afterFailure(webhookMaxAttempts - 1, now)).toMatchObject({ attempts: 8, status: "FAILED" });
  });
});
