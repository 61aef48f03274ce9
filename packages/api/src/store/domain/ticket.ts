import { createEvent, StoreEvents, type CancelledBy, type OrderLine } from "@baedal/events";
import { DomainError, illegalTransition } from "../../platform/errors.js";
import type { Transition } from "../../platform/transition.js";

/**
 * A kitchen ticket's lifecycle:
 *   NEW --accept--> ACCEPTED --startCooking--> COOKING --markReady--> READY (--callRider, once)
 *   NEW --reject--> REJECTED
 *   any open state --order cancelled--> CANCELLED
 * Pure: every transition returns the new state and the events it causes.
 */
export type TicketStatus = "NEW" | "ACCEPTED" | "COOKING" | "READY" | "REJECTED" | "CANCELLED";
export const activeStatuses: TicketStatus[] = ["NEW", "ACCEPTED", "COOKING", "READY"];

/**
 * After READY the kitchen is done; the board still follows the order out of the door (told by
 * the order context): a rider was assigned, picked it up, delivered it. Only moves forward.
 */
const deliveryStatuses = ["RIDER_ASSIGNED", "PICKED_UP", "DELIVERED"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** The columns of the shop's live board, in the order the shop works through them. */
export type BoardColumn =
  | "NEW"
  | "ACCEPTED"
  | "COOKING"
  | "READY"
  | "WITH_RIDER"
  | "DONE"
  | "CANCELLED";

export interface Ticket {
  id: string;
  orderId: string;
  shopId: string;
  shopName: string;
  shopAddress: string;
  status: TicketStatus;
  lines: OrderLine[];
  itemsTotalKrw: number;
  totalKrw: number;
  deliveryAddress: string;
  phone: string;
  note: string;
  prepMinutes: number | null;
  rejectReason: string | null;
  cancelReason: string | null;
  riderCalledAt: Date | null;
  riderFeeKrw: number | null;
  riderDestination: string | null;
  deliveryStatus: DeliveryStatus | null;
  riderName: string | null;
  cancelledBy: CancelledBy | null;
  /** What the customer got back once the refund went through (null: none yet). */
  refundedKrw: number | null;
}

/** A ticket as stored, with the times the board shows. */
export type StoredTicket = Ticket & { createdAt: Date; updatedAt: Date };

export const PREP_MINUTES = { min: 1, max: 180 } as const;
export const RIDER_FEE_KRW = { min: 1_000, max: 50_000 } as const;

/** A tombstone: the order was cancelled before its ticket existed. The shop never sees it. */
export const isTombstone = (t: Pick<Ticket, "status" | "lines">) =>
  t.status === "CANCELLED" && t.lines.length === 0;

export interface PlacedOrder {
  orderId: string;
  shopId: string;
  shopName: string;
  shopAddress: string;
  lines: OrderLine[];
  itemsTotalKrw: number;
  totalKrw: number;
  deliveryAddress: string;
  phone: string;
  note: string;
}

const blank = {
  prepMinutes: null,
  rejectReason: null,
  cancelReason: null,
  riderCalledAt: null,
  riderFeeKrw: null,
  riderDestination: null,
  deliveryStatus: null,
  riderName: null,
  cancelledBy: null,
  refundedKrw: null,
} as const;

/** A new ticket for a placed order. */
export function openTicket(id: string, order: PlacedOrder): Ticket {
  return { id, status: "NEW", ...order, ...blank };
}

/** Remembers that an order was cancelled before it reached the store. */
export function tombstone(id: string, orderId: string, shopId: string, reason: string): Ticket {
  return {
    id,
    orderId,
    shopId,
    shopName: "",
    shopAddress: "",
    status: "CANCELLED",
    lines: [],
    itemsTotalKrw: 0,
    totalKrw: 0,
    deliveryAddress: "",
    phone: "",
    note: "",
    ...blank,
    cancelReason: reason,
  };
}

const change = (t: Ticket) => ({ ticketId: t.id, orderId: t.orderId, shopId: t.shopId });

function expect(t: Ticket, from: TicketStatus, action: string) {
  if (t.status !== from) throw illegalTransition("Ticket", t.status, action);
}

export function accept(t: Ticket, prepMinutes: number): Transition<Ticket> {
  expect(t, "NEW", "accept");
  if (!Number.isInteger(prepMinutes) || prepMinutes < PREP_MINUTES.min || prepMinutes > PREP_MINUTES.max) {
    throw new DomainError("BAD_REQUEST", `Prep time must be ${PREP_MINUTES.min}–${PREP_MINUTES.max} minutes`);
  }
  const state: Ticket = { ...t, status: "ACCEPTED", prepMinutes };
  return { state, events: [createEvent(StoreEvents.TicketAccepted, { ...change(t), prepMinutes })] };
}

export function reject(t: Ticket, reason: string): Transition<Ticket> {
  expect(t, "NEW", "reject");
  const why = reason.trim();
  if (!why) throw new DomainError("BAD_REQUEST", "Please give a reason");
  const state: Ticket = { ...t, status: "REJECTED", rejectReason: why };
  return { state, events: [createEvent(StoreEvents.TicketRejected, { ...change(t), reason: why })] };
}

export function startCooking(t: Ticket): Transition<Ticket> {
  expect(t, "ACCEPTED", "start cooking");
  return {
    state: { ...t, status: "COOKING" },
    events: [createEvent(StoreEvents.TicketCookingStarted, change(t))],
  };
}

export function markReady(t: Ticket): Transition<Ticket> {
  expect(t, "COOKING", "mark ready");
  return { state: { ...t, status: "READY" }, events: [createEvent(StoreEvents.TicketReady, change(t))] };
}

/** Checked before payment registers the fee, and again in the transaction that records the call. */
export function assertCanCallRider(t: Ticket): void {
  if (t.riderCalledAt) throw new DomainError("CONFLICT", "rider already called", "RIDER_ALREADY_CALLED");
  expect(t, "READY", "call a rider");
}

export function callRider(
  t: Ticket,
  call: { destination: string; feeKrw: number; at: Date },
): Transition<Ticket> {
  assertCanCallRider(t);
  const destination = call.destination.trim();
  if (!destination) throw new DomainError("BAD_REQUEST", "Please give a destination");
  if (!Number.isInteger(call.feeKrw) || call.feeKrw < RIDER_FEE_KRW.min || call.feeKrw > RIDER_FEE_KRW.max) {
    throw new DomainError(
      "BAD_REQUEST",
      `Delivery fee must be ${RIDER_FEE_KRW.min}–${RIDER_FEE_KRW.max} KRW`,
    );
  }
  const state: Ticket = {
    ...t,
    riderCalledAt: call.at,
    riderFeeKrw: call.feeKrw,
    riderDestination: destination,
  };
  return {
    state,
    events: [
      createEvent(StoreEvents.RiderCallRequested, {
        ...change(t),
        shopName: t.shopName,
        pickupAddress: t.shopAddress,
        destination,
        feeKrw: call.feeKrw,
      }),
    ],
  };
}

/**
 * The order was cancelled (by the customer, the shop or an admin). A ticket already closed
 * (REJECTED, CANCELLED) stays as it is: the event is obsolete.
 */
export function cancel(
  t: Ticket,
  reason: string,
  causationId: string | null,
  cancelledBy: CancelledBy | null = null,
): Transition<Ticket> {
  if (t.status === "CANCELLED" || t.status === "REJECTED") return { state: t, events: [] };
  const state: Ticket = { ...t, status: "CANCELLED", cancelReason: reason, cancelledBy };
  return { state, events: [createEvent(StoreEvents.TicketCancelled, { ...change(t), reason }, causationId)] };
}

const deliveryRank = (s: DeliveryStatus | null) => (s === null ? -1 : deliveryStatuses.indexOf(s));

/**
 * The order moved on with its rider. Returns the ticket unchanged when that is old news (events
 * may arrive late or twice) or the ticket is closed; a board annotation, so no events.
 */
export function trackDelivery(t: Ticket, status: DeliveryStatus, riderName?: string): Ticket {
  if (t.status === "CANCELLED" || t.status === "REJECTED") return t;
  if (deliveryRank(status) <= deliveryRank(t.deliveryStatus)) return t;
  return { ...t, deliveryStatus: status, riderName: riderName ?? t.riderName };
}

/** The customer got their money back (a cancelled or rejected order). Recorded once. */
export function recordRefund(t: Ticket, refundedKrw: number): Ticket {
  if (t.refundedKrw !== null) return t;
  return { ...t, refundedKrw };
}

/** Where a ticket sits on the shop's board. */
export function boardColumn(t: Pick<Ticket, "status" | "deliveryStatus">): BoardColumn {
  if (t.status === "REJECTED" || t.status === "CANCELLED") return "CANCELLED";
  if (t.deliveryStatus === "DELIVERED") return "DONE";
  if (t.deliveryStatus !== null) return "WITH_RIDER";
  return t.status;
}
