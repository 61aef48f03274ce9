import { describe, expect, it } from "vitest";
import {
  applyDeliveryEvent,
  applyOrderEvent,
  seoulDay,
  type DeliveryRow,
  type OrderRow,
} from "../../../src/report/domain/projections.js";

const call = {
  riderCallId: "66666666-6666-4666-8666-666666666666",
  orderId: "11111111-1111-4111-8111-111111111111",
  shopId: "33333333-3333-4333-8333-333333333333",
};
const riderId = "55555555-5555-4555-8555-555555555555";
const opened = {
  type: "RiderCallOpened",
  occurredAt: "2025-01-01T14:50:00.000Z",
  data: { ...call, shopName: "피자집", pickupAddress: "a", destination: "b", feeKrw: 3500 },
};
const accepted = {
  type: "RiderCallAccepted",
  occurredAt: "2025-01-01T14:55:00.000Z",
  data: { ...call, riderId, riderName: "박라이더" },
};
const picked = {
  type: "RiderCallPickedUp",
  occurredAt: "2025-01-01T15:05:00.000Z",
  data: { ...call, riderId },
};
const completed = {
  type: "RiderCallCompleted",
  occurredAt: "2025-01-01T15:20:00.000Z",
  data: { ...call, riderId, feeKrw: 3500 },
};
const settled = {
  type: "RiderFeeSettled",
  occurredAt: "2025-01-01T15:20:01.000Z",
  data: {
    settlementId: "77777777-7777-4777-8777-777777777777",
    orderId: call.orderId,
    riderCallId: call.riderCallId,
    riderId,
    feeKrw: 3500,
  },
};

type E = { type: string; occurredAt: string; data: unknown };
const foldCalls = (events: E[]) =>
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
    const cancelled = {
      type: "RiderCallCancelled",
      occurredAt: "2025-01-01T15:00:00.000Z",
      data: { ...call, riderId, reason: "x" },
    };
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
  const placed = {
    type: "OrderPlaced",
    data: { ...ids, seq: 1, status: "PLACED", at: "2025-01-01T15:30:00.000Z", totalKrw: 33000 },
  };
  const cancelled = {
    type: "OrderCancelled",
    data: { ...ids, seq: 2, status: "CANCELLED", at: "2025-01-01T15:31:00.000Z", refundKrw: 33000 },
  };
  const refunded = {
    type: "OrderRefunded",
    data: { ...ids, seq: 3, status: "CANCELLED", at: "2025-01-01T15:32:00.000Z", refundKrw: 33000 },
  };
  const fold = (events: { type: string; data: unknown }[]) =>
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
