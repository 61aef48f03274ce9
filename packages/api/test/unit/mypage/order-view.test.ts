import { createEvent, OrderEvents, type OrderEvent } from "@baedal/events";
import { describe, expect, it } from "vitest";
import {
  applyDeliveryEvent,
  applyOrderEvent,
  announcedStep,
  type OrderView,
} from "../../../src/mypage/domain/order-view.js";

const ids = {
  orderId: "11111111-1111-4111-8111-111111111111",
  customerId: "22222222-2222-4222-8222-222222222222",
  shopId: "33333333-3333-4333-8333-333333333333",
};
const line = {
  menuItemId: "44444444-4444-4444-8444-444444444444",
  name: "광어회",
  unitPriceKrw: 30000,
  quantity: 1,
};

// Built by the contracts (createEvent validates the data against each event's schema).
const placed = createEvent(OrderEvents.OrderPlaced, {
  ...ids,
  seq: 1,
  status: "PLACED",
  at: "2025-01-01T10:00:00.000Z",
  shopName: "바다횟집",
  shopAddress: "부산",
  lines: [line],
  itemsTotalKrw: 30000,
  deliveryFeeKrw: 3000,
  totalKrw: 33000,
  deliveryAddress: "서울시 마포구",
  phone: "010",
  note: "",
});
const accepted = createEvent(OrderEvents.OrderAccepted, {
  ...ids,
  seq: 2,
  status: "ACCEPTED",
  at: "2025-01-01T10:01:00.000Z",
  prepMinutes: 20,
  etaAt: "2025-01-01T10:40:00.000Z",
});
const cancelled = createEvent(OrderEvents.OrderCancelled, {
  ...ids,
  seq: 3,
  status: "CANCELLED",
  at: "2025-01-01T10:02:00.000Z",
  cancelledBy: "CUSTOMER",
  reason: "변심",
  refundKrw: 33000,
});
const refunded = createEvent(OrderEvents.OrderRefunded, {
  ...ids,
  seq: 4,
  status: "CANCELLED",
  at: "2025-01-01T10:03:00.000Z",
  refundKrw: 33000,
});

function fold(events: OrderEvent[]): OrderView {
  let v: OrderView | null = null;
  for (const e of events) v = applyOrderEvent(v, e).view;
  return v!;
}

describe("mypage order view projection", () => {
  it("builds the view in order", () => {
    const v = fold([placed, accepted, cancelled, refunded]);
    expect(v).toMatchObject({
      status: "CANCELLED",
      seq: 4,
      shopName: "바다횟집",
      totalKrw: 33000,
      prepMinutes: 20,
      cancelledBy: "CUSTOMER",
      cancelReason: "변심",
      refundedKrw: 33000,
      placedAt: placed.data.at,
    });
    expect(v.timeline.map((s) => s.seq)).toEqual([1, 2, 3, 4]);
    expect(v.timeline.map((s) => s.detail)).toEqual([
      "바다횟집 · 33,000원",
      "조리 예상 20분",
      "고객 취소: 변심",
      "33,000원 환불",
    ]);
  });

  it("creates the view from a non-OrderPlaced event and fills it when OrderPlaced arrives late", () => {
    const early = applyOrderEvent(null, accepted).view;
    expect(early).toMatchObject({
      ...ids,
      status: "ACCEPTED",
      seq: 2,
      shopName: null,
      lines: [],
      etaAt: accepted.data.etaAt,
    });
    const v = applyOrderEvent(early, placed).view;
    expect(v).toMatchObject({
      status: "ACCEPTED",
      seq: 2,
      shopName: "바다횟집",
      totalKrw: 33000,
      lines: [line],
    });
    expect(v.timeline.map((s) => s.type)).toEqual(["OrderPlaced", "OrderAccepted"]);
  });

  it("converges to the same view for every arrival order", () => {
    const events: OrderEvent[] = [placed, accepted, cancelled, refunded];
    const expected = fold(events);
    const perms: (typeof events)[] = [
      [refunded, cancelled, accepted, placed],
      [accepted, refunded, placed, cancelled],
      [cancelled, placed, refunded, accepted],
    ];
    for (const p of perms) expect(fold(p)).toEqual(expected);
  });

  it("ignores a duplicate: no change, timeline step recorded once", () => {
    const v = fold([placed, accepted]);
    const again = applyOrderEvent(v, accepted);
    expect(again.changed).toBe(false);
    expect(again.view).toEqual(v);
    expect(applyOrderEvent(again.view, placed).changed).toBe(false);
    expect(again.view.timeline.filter((s) => s.seq === 2)).toHaveLength(1);
  });

  it("an older event never moves status back but still records its step", () => {
    const v = fold([cancelled]);
    const { view, changed } = applyOrderEvent(v, accepted);
    expect(changed).toBe(true);
    expect(view.status).toBe("CANCELLED");
    expect(view.seq).toBe(3);
    expect(view.timeline.map((s) => [s.seq, s.status])).toEqual([
      [2, "ACCEPTED"],
      [3, "CANCELLED"],
    ]);
  });
});

describe("mypage: the rider call's state (delivery events)", () => {
  const call = (type: string) => ({ type });
  const foldCalls = (v: OrderView, types: string[]) =>
    types.reduce((acc, t) => applyDeliveryEvent(acc, call(t)).view, v);

  it("a new view has no rider call", () => {
    expect(fold([placed]).deliveryStatus).toBeNull();
  });

  it("follows the call to the door", () => {
    const v = fold([placed, accepted]);
    const steps = ["RiderCallOpened", "RiderCallAccepted", "RiderCallPickedUp", "RiderCallCompleted"];
    const seen = steps.map((_, i) => foldCalls(v, steps.slice(0, i + 1)).deliveryStatus);
    expect(seen).toEqual(["CALLED", "ACCEPTED", "PICKED_UP", "COMPLETED"]);
  });

  it("an admin cancel after the rider accepted ends the call CANCELLED, whatever arrives later", () => {
    const v = foldCalls(fold([placed, accepted, cancelled]), ["RiderCallOpened", "RiderCallAccepted"]);
    expect(v.deliveryStatus).toBe("ACCEPTED");
    const gone = applyDeliveryEvent(v, call("RiderCallCancelled"));
    expect(gone).toMatchObject({ changed: true, view: { deliveryStatus: "CANCELLED", status: "CANCELLED" } });
    // Late or repeated events never bring the call back.
    for (const t of ["RiderCallOpened", "RiderCallAccepted", "RiderCallCancelled"]) {
      expect(applyDeliveryEvent(gone.view, call(t))).toEqual({ view: gone.view, changed: false });
    }
  });

  it("converges for every arrival order and ignores what it does not know", () => {
    const v = fold([placed]);
    const orders = [
      ["RiderCallOpened", "RiderCallAccepted", "RiderCallCancelled"],
      ["RiderCallCancelled", "RiderCallOpened", "RiderCallAccepted"],
      ["RiderCallAccepted", "RiderCallCancelled", "RiderCallOpened"],
    ];
    for (const o of orders) expect(foldCalls(v, o).deliveryStatus).toBe("CANCELLED");
    expect(foldCalls(v, ["RiderCallAccepted", "RiderCallOpened"]).deliveryStatus).toBe("ACCEPTED");
    expect(applyDeliveryEvent(v, call("SomethingElse"))).toEqual({ view: v, changed: false });
  });

  it("leaves the order's own facts alone", () => {
    const v = fold([placed, accepted]);
    const { view } = applyDeliveryEvent(v, call("RiderCallOpened"));
    expect({ ...view, deliveryStatus: null }).toEqual(v);
  });
});

describe("mypage: a notification waits for the step it announces", () => {
  it("holds a notification about an order status for that status", () => {
    expect(announcedStep("OrderPlaced", ids.orderId)).toBe("OrderPlaced");
    expect(announcedStep("OrderDelivered", ids.orderId)).toBe("OrderDelivered");
  });

  it("lets notifications that announce no order status through", () => {
    expect(announcedStep("RiderCallCancelled", ids.orderId)).toBeNull();
    expect(announcedStep("WebhookTest", ids.orderId)).toBeNull();
    expect(announcedStep("OrderPlaced", null)).toBeNull();
  });
});
