import { createEvent, PaymentEvents, type EventEnvelope } from "@baedal/events";
import { illegalTransition } from "../../platform/errors.js";

export type PaymentStatus = "AUTHORIZED" | "VOIDED" | "REFUNDED";

export interface PaymentState {
  id: string;
  orderId: string;
  amountKrw: number;
  status: PaymentStatus;
}

export type LedgerKind =
  | "CHARGE"
  | "VOID"
  | "REFUND"
  | "RIDER_FEE"
  | "RIDER_FEE_CANCELLED"
  | "RIDER_FEE_REINSTATED"
  | "RIDER_SETTLEMENT";

export interface LedgerLine {
  kind: LedgerKind;
  orderId: string;
  amountKrw: number;
  reference?: string;
}

export interface Transition<S> {
  state: S;
  ledger: LedgerLine[];
  events: EventEnvelope[];
  /** True when the card must be refunded at the gateway. */
  refundAtGateway: boolean;
}

/** The card was charged for an order attempt: the payment exists from here on. */
export function authorize(p: { id: string; orderId: string; amountKrw: number }): Transition<PaymentState> {
  return {
    state: { ...p, status: "AUTHORIZED" },
    ledger: [{ kind: "CHARGE", orderId: p.orderId, amountKrw: p.amountKrw }],
    events: [],
    refundAtGateway: false,
  };
}

/** A cancelled order gives back what was charged, once. */
export function refund(p: PaymentState, causationId: string | null): Transition<PaymentState> {
  if (p.status !== "AUTHORIZED") throw illegalTransition("payment", p.status, "refund");
  return {
    state: { ...p, status: "REFUNDED" },
    ledger: [{ kind: "REFUND", orderId: p.orderId, amountKrw: -p.amountKrw }],
    events: [
      createEvent(PaymentEvents.PaymentRefunded, { paymentId: p.id, orderId: p.orderId, amountKrw: p.amountKrw }, causationId),
    ],
    refundAtGateway: true,
  };
}

/** An authorization that never became a placed order is voided (and the card given back). */
export function voidAuthorization(p: PaymentState): Transition<PaymentState> {
  if (p.status !== "AUTHORIZED") throw illegalTransition("payment", p.status, "void");
  return {
    state: { ...p, status: "VOIDED" },
    ledger: [{ kind: "VOID", orderId: p.orderId, amountKrw: -p.amountKrw }],
    events: [createEvent(PaymentEvents.PaymentVoided, { paymentId: p.id, orderId: p.orderId, amountKrw: p.amountKrw })],
    refundAtGateway: true,
  };
}

export type RiderFeeStatus = "REGISTERED" | "SETTLED" | "CANCELLED";

export interface RiderFeeState {
  id: string;
  orderId: string;
  shopId: string;
  feeKrw: number;
  status: RiderFeeStatus;
}

/**
 * A completed delivery settles its rider's fee, once. A fee CANCELLED by the order's
 * cancellation is settled too: the cancellation lost the race against the pickup (the order
 * context had not heard of it yet), the rider delivered, and every completed delivery is paid —
 * the cancellation's ledger line is reversed first.
 */
export function settleRiderFee(
  fee: RiderFeeState,
  settlementId: string,
  riderCallId: string,
  riderId: string,
): { state: RiderFeeState; ledger: LedgerLine[]; events: EventEnvelope[] } {
  if (fee.status === "SETTLED") throw illegalTransition("rider fee", fee.status, "settle");
  const reinstated: LedgerLine[] =
    fee.status === "CANCELLED" ? [{ kind: "RIDER_FEE_REINSTATED", orderId: fee.orderId, amountKrw: fee.feeKrw, reference: riderCallId }] : [];
  return {
    state: { ...fee, status: "SETTLED" },
    ledger: [...reinstated, { kind: "RIDER_SETTLEMENT", orderId: fee.orderId, amountKrw: fee.feeKrw, reference: riderCallId }],
    events: [
      createEvent(PaymentEvents.RiderFeeSettled, {
        settlementId,
        orderId: fee.orderId,
        riderCallId,
        riderId,
        feeKrw: fee.feeKrw,
      }),
    ],
  };
}

/**
 * A rider call the store did not record gives its fee back: only the fee that very attempt
 * registered, and only while it is still merely registered (a later attempt owns it otherwise;
 * a cancelled or settled fee has a story of its own).
 */
export function isWithdrawable(fee: RiderFeeState & { attemptId: string | null }, attemptId: string): boolean {
  return fee.status === "REGISTERED" && fee.attemptId === attemptId;
}

/** The delivery of a cancelled order will not happen: its registered fee is cancelled. */
export function cancelRiderFee(fee: RiderFeeState): { state: RiderFeeState; ledger: LedgerLine[] } | null {
  if (fee.status !== "REGISTERED") return null;
  return {
    state: { ...fee, status: "CANCELLED" },
    ledger: [{ kind: "RIDER_FEE_CANCELLED", orderId: fee.orderId, amountKrw: -fee.feeKrw }],
  };
}
