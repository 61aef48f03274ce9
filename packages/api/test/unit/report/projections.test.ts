import { createEvent, DeliveryEvents, OrderEvents, PaymentEvents, type OrderEvent } from "@baedal/events";
import { describe, expect, it } from "vitest";
import {
  applyDeliveryEvent,
  applyOrderEvent,
  seoulDay,
  type CallEvent,
  type DeliveryRow,
  type OrderRow,
} from "../../../src/report/domain/projections.js";

const call = {
  riderCallId: "66666666-6666-4666-8666-666666666666",
  orderId: "11111111-1111-4111-8111-111111111111",
  shopId: "33333333-3333-4333-8333-333333333333",
};
const riderId = "55555555-5555-4555-8555-555555555555";
/** An event built by its contract (createEvent validates the data), as it occurred at `occurredAt`. */
const at = <E extends CallEvent>(e: E, occurredAt: string): E => ({ ...e, occurredAt });
const opened = at(
  createEvent(DeliveryEvents.RiderCallOpened, {
    ...call,
    shopName: "피자집",
    pickupAddress: "a",
    destination: "b",
    feeKrw: 3500,
  }),
  "2025-01-01T14:50:00.000Z",
);
const accepted = at(
  createEvent(DeliveryEvents.RiderCallAccepted, { ...call, riderId, riderName: "박라이더" }),
  "2025-01-01T14:55:00.000Z",
);
const picked = at(
  createEvent(DeliveryEvents.RiderCallPickedUp, { ...call, riderId }),
  "2025-01-01T15:05:00.000Z",
);
const completed = at(
  createEvent(DeliveryEvents.RiderCallCompleted, { ...call, riderId, feeKrw: 3500 }),
  "2025-01-01T15:20:00.000Z",
);
const settled = at(
  createEvent(PaymentEvents.RiderFeeSettled, {
    settlementId: "77777777-7777-4777-8777-777777777777",
    orderId: call.orderId,
    riderCallId: call.riderCallId,
    riderId,
    feeKrw: 3500,
  }),
  "2025-01-01T15:20:01.000Z",
);

const foldCalls = (events: CallEvent[]) =>
  events.reduce<DeliveryRow | null>((r, e) => applyDeliveryEvent(r, e), null)!;

describe("report delivery projection", () => {
  it("follows a call to completion and settlement", () => {
    const r = foldCalls([opened, accepted, picked, completed]);
    expect(r).toMatchObject({
      status: "COMPLETED",
      settlement: "PENDING",
      riderName: "박라이더",
      shopName: "피자집",
      feeKrw: 3500,
      day: "2025-01-01",
    });
    expect(applyDeliveryEvent(r, settled)).toMatchObject({
      settlement: "SETTLED",
      settledAt: settled.occurredAt,
    });
  });

  it("converges whatever the arrival order, settlement before completion included", () => {
    const inOrder = foldCalls([opened, accepted, picked, completed, settled]);
    for (const p of [
      [settled, completed, picked, accepted, opened],
      [completed, opened, settled, accepted, picked],
      [accepted, settled, opened, picked, completed],
    ]) {
      expect(foldCalls(p)).toEqual(inOrder);
    }
    expect(inOrder).toMatchObject({
      status: "COMPLETED",
      settlement: "SETTLED",
      createdAt: opened.occurredAt,
    });
  });

  it("never moves a status backwards and ignores duplicates", () => {
    const cancelled = at(
      createEvent(DeliveryEvents.RiderCallCancelled, { ...call, riderId, reason: "x" }),
      "2025-01-01T15:00:00.000Z",
    );
    const r = foldCalls([opened, cancelled, accepted, accepted]);
    expect(r.status).toBe("CANCELLED");
    expect(r.settlement).toBeNull();
    const done = foldCalls([opened, completed]);
    expect(applyDeliveryEvent(applyDeliveryEvent(done, picked), completed)).toEqual(done);
  });

  it("dates a call by its Seoul day", () => {
    expect(seoulDay("2025-01-01T14:59:59.000Z")).toBe("2025-01-01");
    expect(seoulDay("2025-01-01T15:00:00.000Z")).toBe("2025-01-02");
  });
});

describe("report order projection", () => {
  const ids = {
    orderId: call.orderId,
    customerId: "22222222-2222-4222-8222-222222222222",
    shopId: call.shopId,
  };
  const placed = createEvent(OrderEvents.OrderPlaced, {
    ...ids,
    seq: 1,
    status: "PLACED",
    at: "2025-01-01T15:30:00.000Z",
    shopName: "피자집",
    shopAddress: "a",
    lines: [
      { menuItemId: "44444444-4444-4444-8444-444444444444", name: "피자", unitPriceKrw: 30000, quantity: 1 },
    ],
    itemsTotalKrw: 30000,
    deliveryFeeKrw: 3000,
    totalKrw: 33000,
    deliveryAddress: "b",
    phone: "010",
    note: "",
  });
  const cancelled = createEvent(OrderEvents.OrderCancelled, {
    ...ids,
    seq: 2,
    status: "CANCELLED",
    at: "2025-01-01T15:31:00.000Z",
    cancelledBy: "CUSTOMER",
    reason: "변심",
    refundKrw: 33000,
  });
  const refunded = createEvent(OrderEvents.OrderRefunded, {
    ...ids,
    seq: 3,
    status: "CANCELLED",
    at: "2025-01-01T15:32:00.000Z",
    refundKrw: 33000,
  });
  const fold = (events: OrderEvent[]) =>
    events.reduce<OrderRow | null>((r, e) => applyOrderEvent(r, e), null)!;

  it("converges in any order and counts the refund once", () => {
    const expected = fold([placed, cancelled, refunded]);
    expect(expected).toMatchObject({
      day: "2025-01-02",
      totalKrw: 33000,
      status: "CANCELLED",
      cancelled: true,
      refundedKrw: 33000,
      seq: 3,
    });
    expect(fold([refunded, placed, cancelled])).toEqual(expected);
    expect(fold([cancelled, refunded, refunded, placed, placed])).toEqual(expected);
  });
});
