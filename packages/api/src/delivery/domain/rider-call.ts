import { createEvent, DeliveryEvents } from "@baedal/events";
import { DomainError, illegalTransition, notFound } from "../../platform/errors.js";
import type { Transition } from "../../platform/transition.js";

/**
 * A rider call's lifecycle:
 *   CALLED --accept--> ACCEPTED --pickedUp--> PICKED_UP --delivered--> COMPLETED
 *   CALLED | ACCEPTED --order cancelled--> CANCELLED
 * A completed call's fee is settled by payment: settlement PENDING until payment confirmed it
 * (SETTLED). Pure: every transition returns the new state and the events it causes.
 */
export type RiderCallStatus = "CALLED" | "ACCEPTED" | "PICKED_UP" | "COMPLETED" | "CANCELLED";
export type SettlementStatus = "PENDING" | "SETTLED";

export interface RiderCall {
  id: string;
  orderId: string;
  shopId: string;
  shopName: string;
  pickupAddress: string;
  destination: string;
  feeKrw: number;
  status: RiderCallStatus;
  riderId: string | null;
  riderName: string | null;
  cancelReason: string | null;
  settlementStatus: SettlementStatus | null;
  settlementId: string | null;
  acceptedAt: Date | null;
  pickedUpAt: Date | null;
  completedAt: Date | null;
}

/** A rider call as stored, with its times and how often its settlement was tried. */
export type StoredCall = RiderCall & { createdAt: Date; updatedAt: Date; settleAttempts: number };

export interface Rider {
  riderId: string;
  name: string;
  online: boolean;
}

export interface CallRequest {
  orderId: string;
  shopId: string;
  shopName: string;
  pickupAddress: string;
  destination: string;
  feeKrw: number;
}

const change = (c: RiderCall) => ({ riderCallId: c.id, orderId: c.orderId, shopId: c.shopId });

const fresh = (id: string, req: CallRequest): RiderCall => ({
  id,
  ...req,
  status: "CALLED",
  riderId: null,
  riderName: null,
  cancelReason: null,
  settlementStatus: null,
  settlementId: null,
  acceptedAt: null,
  pickedUpAt: null,
  completedAt: null,
});

/**
 * A shop asked for a rider. If the order was already cancelled (`cancelledReason` set), the call
 * is recorded as CANCELLED and nobody is told: it never opened.
 */
export function open(
  id: string,
  req: CallRequest,
  causationId: string | null,
  cancelledReason?: string,
): Transition<RiderCall> {
  const call = fresh(id, req);
  if (cancelledReason !== undefined) {
    return { state: { ...call, status: "CANCELLED", cancelReason: cancelledReason }, events: [] };
  }
  return {
    state: call,
    events: [
      createEvent(
        DeliveryEvents.RiderCallOpened,
        {
          ...change(call),
          shopName: req.shopName,
          pickupAddress: req.pickupAddress,
          destination: req.destination,
          feeKrw: req.feeKrw,
        },
        causationId,
      ),
    ],
  };
}

const callTaken = () =>
  new DomainError("CONFLICT", "Another rider already took this call", "CALL_TAKEN");

/** First rider wins; the store applies it with a conditional update so only one can. */
export function accept(c: RiderCall, rider: Rider, at: Date): Transition<RiderCall> {
  if (!rider.online) {
    throw new DomainError("PRECONDITION_FAILED", "Go online to accept calls", "RIDER_OFFLINE");
  }
  if (c.status === "CANCELLED")
    throw new DomainError("CONFLICT", "This call was cancelled", "CALL_CANCELLED");
  // The same rider tapping twice gets their call back, unchanged.
  if (c.status === "ACCEPTED" && c.riderId === rider.riderId) return { state: c, events: [] };
  if (c.status !== "CALLED") throw callTaken();
  const state: RiderCall = {
    ...c,
    status: "ACCEPTED",
    riderId: rider.riderId,
    riderName: rider.name,
    acceptedAt: at,
  };
  return {
    state,
    events: [
      createEvent(DeliveryEvents.RiderCallAccepted, {
        ...change(c),
        riderId: rider.riderId,
        riderName: rider.name,
      }),
    ],
  };
}

/** Only the assigned rider may move a call on; to anyone else it does not exist. */
function assertMine(c: RiderCall, riderId: string) {
  if (c.riderId !== riderId) throw notFound("Rider call");
}

export function pickUp(c: RiderCall, riderId: string, at: Date): Transition<RiderCall> {
  assertMine(c, riderId);
  if (c.status !== "ACCEPTED") throw illegalTransition("Rider call", c.status, "pick up");
  return {
    state: { ...c, status: "PICKED_UP", pickedUpAt: at },
    events: [createEvent(DeliveryEvents.RiderCallPickedUp, { ...change(c), riderId })],
  };
}

/** Delivered: the call completes and its fee waits for settlement (PENDING). */
export function deliver(c: RiderCall, riderId: string, at: Date): Transition<RiderCall> {
  assertMine(c, riderId);
  if (c.status !== "PICKED_UP") throw illegalTransition("Rider call", c.status, "complete the delivery");
  return {
    state: { ...c, status: "COMPLETED", completedAt: at, settlementStatus: "PENDING" },
    events: [createEvent(DeliveryEvents.RiderCallCompleted, { ...change(c), riderId, feeKrw: c.feeKrw })],
  };
}

/** Payment settled the fee. Settling twice is refused (payment is idempotent; we record once). */
export function settled(c: RiderCall, settlementId: string): RiderCall {
  if (c.status !== "COMPLETED" || c.settlementStatus !== "PENDING") {
    throw illegalTransition("Rider call settlement", c.settlementStatus ?? c.status, "settle");
  }
  return { ...c, settlementStatus: "SETTLED", settlementId };
}

/**
 * The order was cancelled. CALLED / ACCEPTED calls are cancelled (the assigned rider, if any,
 * is named so notification can tell them). A call past pickup or already closed stays as it
 * is: the event is obsolete there.
 */
export function cancel(c: RiderCall, reason: string, causationId: string | null): Transition<RiderCall> {
  if (c.status !== "CALLED" && c.status !== "ACCEPTED") return { state: c, events: [] };
  return {
    state: { ...c, status: "CANCELLED", cancelReason: reason },
    events: [
      createEvent(
        DeliveryEvents.RiderCallCancelled,
        { ...change(c), riderId: c.riderId, reason },
        causationId,
      ),
    ],
  };
}
