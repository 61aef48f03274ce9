import { createEvent, OrderEvents, type CancelledBy, type OrderLine, type OrderStatus } from "@baedal/events";
import { DomainError, illegalTransition } from "../../platform/errors.js";
import type { Transition } from "../../platform/transition.js";

/** The order aggregate: every transition returns the next state and the events it causes. */
export interface Order {
  id: string;
  customerId: string;
  shopId: string;
  status: OrderStatus;
  seq: number;
  totalKrw: number;
  prepMinutes: number | null;
  etaAt: Date | null;
  riderCallId: string | null;
  riderId: string | null;
  riderName: string | null;
  cancelledBy: CancelledBy | null;
  cancelReason: string | null;
  refundedKrw: number | null;
}

export interface OrderDraft {
  shopId: string;
  shopName: string;
  shopAddress: string;
  lines: OrderLine[];
  itemsTotalKrw: number;
  deliveryFeeKrw: number;
  totalKrw: number;
  deliveryAddress: string;
  phone: string;
  note: string;
}

/** An order's next state and the events it causes. */
export type OrderTransition = Transition<Order>;

/** The forward path; CANCELLED stands outside it. */
const path: OrderStatus[] = [
  "PLACED",
  "ACCEPTED",
  "COOKING",
  "READY",
  "RIDER_ASSIGNED",
  "PICKED_UP",
  "DELIVERED",
];
const rank = (s: OrderStatus) => (s === "CANCELLED" ? Number.POSITIVE_INFINITY : path.indexOf(s));

function next(o: Order, status: OrderStatus, patch: Partial<Order> = {}): Order {
  return { ...o, ...patch, status, seq: o.seq + 1 };
}

const change = (o: Order, at: Date) => ({
  orderId: o.id,
  customerId: o.customerId,
  shopId: o.shopId,
  seq: o.seq,
  status: o.status,
  at: at.toISOString(),
});

function requireStatus(o: Order, allowed: OrderStatus[], action: string) {
  if (!allowed.includes(o.status)) throw illegalTransition("order", o.status, action);
}

/** Payment approved: the order exists from here on. */
export function place(id: string, customerId: string, draft: OrderDraft, at: Date): OrderTransition {
  const order: Order = {
    id,
    customerId,
    shopId: draft.shopId,
    status: "PLACED",
    seq: 1,
    totalKrw: draft.totalKrw,
    prepMinutes: null,
    etaAt: null,
    riderCallId: null,
    riderId: null,
    riderName: null,
    cancelledBy: null,
    cancelReason: null,
    refundedKrw: null,
  };
  return {
    state: order,
    events: [createEvent(OrderEvents.OrderPlaced, { ...change(order, at), ...draft })],
  };
}

export function accept(o: Order, prepMinutes: number, at: Date, causationId: string | null): OrderTransition {
  requireStatus(o, ["PLACED"], "accept");
  const etaAt = new Date(at.getTime() + prepMinutes * 60_000);
  const order = next(o, "ACCEPTED", { prepMinutes, etaAt });
  return {
    state: order,
    events: [
      createEvent(
        OrderEvents.OrderAccepted,
        { ...change(order, at), prepMinutes, etaAt: etaAt.toISOString() },
        causationId,
      ),
    ],
  };
}

export function startCooking(o: Order, at: Date, causationId: string | null): OrderTransition {
  requireStatus(o, ["ACCEPTED"], "start cooking");
  const order = next(o, "COOKING");
  return {
    state: order,
    events: [createEvent(OrderEvents.OrderCookingStarted, change(order, at), causationId)],
  };
}

export function markReady(o: Order, at: Date, causationId: string | null): OrderTransition {
  requireStatus(o, ["COOKING"], "mark ready");
  const order = next(o, "READY");
  return {
    state: order,
    events: [createEvent(OrderEvents.OrderReady, change(order, at), causationId)],
  };
}

export function assignRider(
  o: Order,
  rider: { riderCallId: string; riderId: string; riderName: string },
  at: Date,
  causationId: string | null,
): OrderTransition {
  requireStatus(o, ["READY"], "assign a rider");
  const order = next(o, "RIDER_ASSIGNED", rider);
  return {
    state: order,
    events: [createEvent(OrderEvents.OrderRiderAssigned, { ...change(order, at), ...rider }, causationId)],
  };
}

export function pickUp(o: Order, at: Date, causationId: string | null): OrderTransition {
  requireStatus(o, ["RIDER_ASSIGNED"], "mark picked up");
  const order = next(o, "PICKED_UP");
  return {
    state: order,
    events: [createEvent(OrderEvents.OrderPickedUp, change(order, at), causationId)],
  };
}

export function deliver(o: Order, at: Date, causationId: string | null): OrderTransition {
  requireStatus(o, ["PICKED_UP"], "mark delivered");
  const order = next(o, "DELIVERED");
  return {
    state: order,
    events: [createEvent(OrderEvents.OrderDelivered, change(order, at), causationId)],
  };
}

/** Who may cancel in which state: the customer until cooking starts, the shop before accepting, an admin before pickup. */
const cancellableBy: Record<CancelledBy, OrderStatus[]> = {
  CUSTOMER: ["PLACED", "ACCEPTED"],
  SHOP: ["PLACED"],
  ADMIN: ["PLACED", "ACCEPTED", "COOKING", "READY", "RIDER_ASSIGNED"],
};

export function canCancel(o: Pick<Order, "status">, by: CancelledBy): boolean {
  return cancellableBy[by].includes(o.status);
}

export function cancel(
  o: Order,
  by: CancelledBy,
  reason: string,
  at: Date,
  causationId: string | null,
): OrderTransition {
  if (!canCancel(o, by)) {
    if (o.status === "CANCELLED")
      throw new DomainError("CONFLICT", "This order is already cancelled", "ALREADY_CANCELLED");
    const why =
      by === "CUSTOMER"
        ? "The shop has already started preparing this order, so it can no longer be cancelled. Please contact customer service."
        : `An order that is ${o.status.toLowerCase().replace("_", " ")} cannot be cancelled`;
    throw new DomainError("CONFLICT", why, "CANCEL_NOT_ALLOWED");
  }
  const order = next(o, "CANCELLED", { cancelledBy: by, cancelReason: reason });
  return {
    state: order,
    events: [
      createEvent(
        OrderEvents.OrderCancelled,
        { ...change(order, at), cancelledBy: by, reason, refundKrw: o.totalKrw },
        causationId,
      ),
    ],
  };
}

export function markRefunded(
  o: Order,
  amountKrw: number,
  at: Date,
  causationId: string | null,
): OrderTransition {
  requireStatus(o, ["CANCELLED"], "record a refund");
  if (o.refundedKrw !== null) throw illegalTransition("order", "refunded", "record a refund");
  const order = { ...o, refundedKrw: amountKrw, seq: o.seq + 1 };
  return {
    state: order,
    events: [
      createEvent(OrderEvents.OrderRefunded, { ...change(order, at), refundKrw: amountKrw }, causationId),
    ],
  };
}

/**
 * How a saga step treats an event from another context: apply it when the order is where the
 * step expects, ignore it when the order is already past it (a duplicate or an order cancelled
 * meanwhile), and retry it later when the order has not got there yet (events from different
 * streams can overtake each other).
 */
export type StepVerdict = "apply" | "ignore" | "retry";

export function verdictFor(o: Order | null, expected: OrderStatus): StepVerdict {
  if (!o) return "retry";
  if (o.status === expected) return "apply";
  if (o.status === "CANCELLED" || rank(o.status) > rank(expected)) return "ignore";
  return "retry";
}
