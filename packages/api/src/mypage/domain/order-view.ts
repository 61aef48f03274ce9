import {
  eventTypesOf,
  type CancelledBy,
  type EventEnvelope,
  type OrderEvent,
  type OrderLine,
  type OrderStatus,
} from "@baedal/events";

/** One step of an order's history as the customer sees it. */
export interface TimelineStep {
  seq: number;
  status: OrderStatus;
  type: string;
  at: string;
  detail: string | null;
}

/** The customer's view of one order (ISO strings for times; null = not known yet). */
export interface OrderView {
  orderId: string;
  customerId: string;
  shopId: string;
  shopName: string | null;
  status: OrderStatus;
  seq: number;
  lines: OrderLine[];
  itemsTotalKrw: number | null;
  deliveryFeeKrw: number | null;
  totalKrw: number | null;
  deliveryAddress: string | null;
  placedAt: string | null;
  prepMinutes: number | null;
  etaAt: string | null;
  riderName: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  refundedKrw: number | null;
  /** The rider call's state as delivery reports it; null until the shop calls a rider. */
  deliveryStatus: DeliveryStatus | null;
  timeline: TimelineStep[];
}

/** A rider call's states (delivery's RiderCall*): CALLED → ACCEPTED → PICKED_UP → COMPLETED, or CANCELLED. */
const deliveryStatuses = ["CALLED", "ACCEPTED", "PICKED_UP", "COMPLETED", "CANCELLED"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** A view made from the fields every order event carries; the rest fills in as events arrive. */
export function emptyView(
  d: Pick<OrderEvent["data"], "orderId" | "customerId" | "shopId" | "status">,
): OrderView {
  return {
    orderId: d.orderId,
    customerId: d.customerId,
    shopId: d.shopId,
    shopName: null,
    status: d.status,
    seq: 0,
    lines: [],
    itemsTotalKrw: null,
    deliveryFeeKrw: null,
    totalKrw: null,
    deliveryAddress: null,
    placedAt: null,
    prepMinutes: null,
    etaAt: null,
    riderName: null,
    cancelledBy: null,
    cancelReason: null,
    refundedKrw: null,
    deliveryStatus: null,
    timeline: [],
  };
}

const cancelledByLabel: Record<CancelledBy, string> = { CUSTOMER: "고객", SHOP: "가게", ADMIN: "고객센터" };

function detailOf(event: OrderEvent): string | null {
  switch (event.type) {
    case "OrderPlaced":
      return `${event.data.shopName} · ${event.data.totalKrw.toLocaleString("ko-KR")}원`;
    case "OrderAccepted":
      return `조리 예상 ${event.data.prepMinutes}분`;
    case "OrderRiderAssigned":
      return `라이더 ${event.data.riderName}`;
    case "OrderCancelled":
      return `${cancelledByLabel[event.data.cancelledBy]} 취소: ${event.data.reason}`;
    case "OrderRefunded":
      return `${event.data.refundKrw.toLocaleString("ko-KR")}원 환불`;
    default:
      return null;
  }
}

/**
 * Applies one order event to the view. Order-insensitive and idempotent:
 * - status and seq move only forward (an event whose seq is not newer leaves them alone);
 * - the facts an event carries (the order's content, ETA, rider, cancellation, refund) are each
 *   set by one event type, so they are filled whenever that event arrives;
 * - the event's timeline step is recorded once per seq, whatever the order of arrival.
 * Returns the new view and whether anything changed.
 */
export function applyOrderEvent(
  current: OrderView | null,
  event: OrderEvent,
): { view: OrderView; changed: boolean } {
  const d = event.data;
  const before = current ?? emptyView(d);
  const v: OrderView = { ...before, timeline: [...before.timeline] };

  if (d.seq > v.seq) {
    v.seq = d.seq;
    v.status = d.status;
  }
  // Each case reads the data of its own contract (the switch narrows `event`).
  switch (event.type) {
    case "OrderPlaced":
      v.shopName = event.data.shopName;
      v.lines = event.data.lines;
      v.itemsTotalKrw = event.data.itemsTotalKrw;
      v.deliveryFeeKrw = event.data.deliveryFeeKrw;
      v.totalKrw = event.data.totalKrw;
      v.deliveryAddress = event.data.deliveryAddress;
      v.placedAt = event.data.at;
      break;
    case "OrderAccepted":
      v.prepMinutes = event.data.prepMinutes;
      v.etaAt = event.data.etaAt;
      break;
    case "OrderRiderAssigned":
      v.riderName = event.data.riderName;
      break;
    case "OrderCancelled":
      v.cancelledBy = event.data.cancelledBy;
      v.cancelReason = event.data.reason;
      break;
    case "OrderRefunded":
      v.refundedKrw = event.data.refundKrw;
      break;
  }
  if (!v.timeline.some((s) => s.seq === d.seq)) {
    v.timeline.push({
      seq: d.seq,
      status: d.status,
      type: event.type,
      at: d.at,
      detail: detailOf(event),
    });
    v.timeline.sort((a, b) => a.seq - b.seq);
  }
  const changed = current === null || JSON.stringify(current) !== JSON.stringify(v);
  return { view: v, changed };
}

/** Which state each delivery event puts the order's rider call in. */
const deliveryStatusOf: Record<string, DeliveryStatus> = {
  RiderCallOpened: "CALLED",
  RiderCallAccepted: "ACCEPTED",
  RiderCallPickedUp: "PICKED_UP",
  RiderCallCompleted: "COMPLETED",
  RiderCallCancelled: "CANCELLED",
};
/** An order has one rider call; CANCELLED ends it (only CALLED or ACCEPTED calls are cancelled). */
const deliveryRank = (s: DeliveryStatus | null) =>
  s === null ? -1 : s === "CANCELLED" ? Number.POSITIVE_INFINITY : deliveryStatuses.indexOf(s);

/**
 * Applies one delivery event to the view: the rider call's state moves only forward, so events
 * arriving late or twice change nothing. Without it the view kept showing the rider on the way
 * after an admin cancel had called them off (the order events never say so).
 */
export function applyDeliveryEvent(
  current: OrderView,
  event: Pick<EventEnvelope, "type">,
): { view: OrderView; changed: boolean } {
  const status = deliveryStatusOf[event.type];
  if (!status || deliveryRank(status) <= deliveryRank(current.deliveryStatus)) {
    return { view: current, changed: false };
  }
  return { view: { ...current, deliveryStatus: status }, changed: true };
}

/**
 * The order step a notification announces (its kind is the order event's type, e.g. "배달이
 * 완료되었습니다" for OrderDelivered), or null when it announces none. Such a notification travels
 * order → notification → mypage, the status itself order → mypage: two consumers that may run in
 * either order. Its feed entry must not reach the customer before the step's: it waits until the
 * view's timeline has a step of that type (the adapter's `noteNotification` holds it until then).
 */
export function announcedStep(kind: string, orderId: string | null): string | null {
  return orderId !== null && eventTypesOf("order").includes(kind) ? kind : null;
}
