import type { DeliveryEvent, EventOf, OrderEvent, OrderStatus, PaymentEvents } from "@baedal/events";

/** Calendar day in Asia/Seoul (YYYY-MM-DD) of an instant. */
export function seoulDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

export type CallStatus = "CALLED" | "ACCEPTED" | "PICKED_UP" | "COMPLETED" | "CANCELLED";
export type Settlement = "PENDING" | "SETTLED";

export interface DeliveryRow {
  riderCallId: string;
  orderId: string;
  shopId: string | null;
  shopName: string | null;
  riderId: string | null;
  riderName: string | null;
  feeKrw: number;
  status: CallStatus;
  settlement: Settlement | null;
  createdAt: string;
  completedAt: string | null;
  settledAt: string | null;
  day: string;
}

/** How far a call got; a status never moves to a lower rank. COMPLETED and CANCELLED are both final. */
const rank: Record<CallStatus, number> = { CALLED: 0, ACCEPTED: 1, PICKED_UP: 2, COMPLETED: 3, CANCELLED: 3 };
const statusOf: Partial<Record<CallEvent["type"], CallStatus>> = {
  RiderCallOpened: "CALLED",
  RiderCallAccepted: "ACCEPTED",
  RiderCallPickedUp: "PICKED_UP",
  RiderCallCompleted: "COMPLETED",
  RiderCallCancelled: "CANCELLED",
};

/** What a call's row is made of: its rider call's events, and its fee's settlement (payment). */
export type CallEvent = DeliveryEvent | EventOf<typeof PaymentEvents.RiderFeeSettled>;

/** A call's row before anything is known but its ids (what the first event builds on). */
function emptyDelivery(d: { riderCallId: string; orderId: string }, at: string): DeliveryRow {
  return {
    riderCallId: d.riderCallId,
    orderId: d.orderId,
    shopId: null,
    shopName: null,
    riderId: null,
    riderName: null,
    feeKrw: 0,
    status: "CALLED",
    settlement: null,
    createdAt: at,
    completedAt: null,
    settledAt: null,
    day: seoulDay(at),
  };
}

/**
 * Applies a delivery event (RiderCall*) or RiderFeeSettled to one call's row, in any order and
 * any number of times: the row is created from whatever arrives first, the status only moves
 * forward, facts fill in when their event arrives, and a settlement that came before the
 * completion is kept.
 */
export function applyDeliveryEvent(current: DeliveryRow | null, event: CallEvent): DeliveryRow {
  const d = event.data;
  const at = event.occurredAt;
  const r: DeliveryRow = { ...(current ?? emptyDelivery(d, at)) };
  // Each fact comes with the events whose contract has its field (`in` narrows the data to them).
  if ("shopId" in d) r.shopId = d.shopId;
  if ("shopName" in d) r.shopName = d.shopName;
  if ("riderId" in d && d.riderId) r.riderId = d.riderId;
  if ("riderName" in d) r.riderName = d.riderName;
  if ("feeKrw" in d) r.feeKrw = d.feeKrw;

  // The call's day is the day it was opened: the earliest event we know of.
  if (Date.parse(at) < Date.parse(r.createdAt)) {
    r.createdAt = at;
    r.day = seoulDay(at);
  }
  const next = statusOf[event.type];
  if (next && rank[next] > rank[r.status]) r.status = next;
  if (event.type === "RiderCallCompleted") r.completedAt ??= at;
  if (event.type === "RiderFeeSettled") {
    r.settlement = "SETTLED";
    r.settledAt ??= at;
  } else if (r.status === "COMPLETED" && r.settlement === null) {
    r.settlement = "PENDING";
  }
  return r;
}

export interface OrderRow {
  orderId: string;
  shopId: string;
  day: string;
  totalKrw: number;
  status: OrderStatus;
  seq: number;
  placedAt: string | null;
  cancelled: boolean;
  refundedKrw: number;
}

/** An order's row before its OrderPlaced is known. */
function emptyOrder(d: { orderId: string; shopId: string; status: OrderStatus; at: string }): OrderRow {
  return {
    orderId: d.orderId,
    shopId: d.shopId,
    day: seoulDay(d.at),
    totalKrw: 0,
    status: d.status,
    seq: 0,
    placedAt: null,
    cancelled: false,
    refundedKrw: 0,
  };
}

/** Applies an order event to the report's order row (status by seq; facts whenever they arrive). */
export function applyOrderEvent(current: OrderRow | null, event: OrderEvent): OrderRow {
  const d = event.data;
  const r: OrderRow = { ...(current ?? emptyOrder(d)) };
  if (d.seq > r.seq) {
    r.seq = d.seq;
    r.status = d.status;
  }
  // Each case reads the data of its own contract (the switch narrows `event`).
  switch (event.type) {
    case "OrderPlaced":
      r.totalKrw = event.data.totalKrw;
      r.placedAt = event.data.at;
      r.day = seoulDay(event.data.at);
      break;
    case "OrderCancelled":
      r.cancelled = true;
      break;
    case "OrderRefunded":
      r.refundedKrw = event.data.refundKrw;
      break;
  }
  return r;
}
