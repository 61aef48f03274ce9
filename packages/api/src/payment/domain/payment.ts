import { createEvent, PaymentEvents, type EventEnvelope } from "@baedal/events";
import { illegalTransition } from "../../platform/errors.js";
import type { Transition } from "../../platform/transition.js";

export type PaymentStatus = "AUTHORIZED" | "VOIDED" | "REFUNDED";

export interface PaymentState {
  id: string;
  orderId: string;
  amountKrw: number;
  status: PaymentStatus;
}

type LedgerKind =
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

/** Payment's transitions yield ledger lines besides the new state and its events. */
export type MoneyTransition<S> = Transition<S, { ledger: LedgerLine[] }>;

/** A payment as authorize creates it: with its customer, the card's last four digits and the processor's reference. */
export interface Authorization extends PaymentState {
  customerId: string;
  cardLast4: string;
  gatewayRef: string;
}

/**
 * The card processor approved the charge of an order attempt: the payment exists from here on,
 * AUTHORIZED, with its CHARGE line. Of the card only the last four digits are kept.
 */
export function authorize(
  attempt: { id: string; orderId: string; customerId: string; amountKrw: number; cardNumber: string },
  gatewayRef: string,
): MoneyTransition<Authorization> {
  const { cardNumber, ...payment } = attempt;
  return {
    state: { ...payment, status: "AUTHORIZED", cardLast4: cardNumber.slice(-4), gatewayRef },
    ledger: [{ kind: "CHARGE", orderId: attempt.orderId, amountKrw: attempt.amountKrw }],
    events: [],
  };
}

/** A cancelled order gives back what was charged, once (the processor refunds the card). */
export function refund(p: PaymentState, causationId: string | null): MoneyTransition<PaymentState> {
  if (p.status !== "AUTHORIZED") throw illegalTransition("payment", p.status, "refund");
  return {
    state: { ...p, status: "REFUNDED" },
    ledger: [{ kind: "REFUND", orderId: p.orderId, amountKrw: -p.amountKrw }],
    events: [
      createEvent(
        PaymentEvents.PaymentRefunded,
        { paymentId: p.id, orderId: p.orderId, amountKrw: p.amountKrw },
        causationId,
      ),
    ],
  };
}

/** An authorization that never became a placed order is voided (and the card given back). */
export function voidAuthorization(p: PaymentState): MoneyTransition<PaymentState> {
  if (p.status !== "AUTHORIZED") throw illegalTransition("payment", p.status, "void");
  return {
    state: { ...p, status: "VOIDED" },
    ledger: [{ kind: "VOID", orderId: p.orderId, amountKrw: -p.amountKrw }],
    events: [
      createEvent(PaymentEvents.PaymentVoided, {
        paymentId: p.id,
        orderId: p.orderId,
        amountKrw: p.amountKrw,
      }),
    ],
  };
}

type RiderFeeStatus = "REGISTERED" | "SETTLED" | "CANCELLED";

export interface RiderFeeState {
  id: string;
  orderId: string;
  shopId: string;
  feeKrw: number;
  status: RiderFeeStatus;
}

/** A fee with the rider call attempt that registered it (null: registered without one). */
export type RiderFee = RiderFeeState & { attemptId: string | null };

/** A shop called a rider for a paid order: the fee is registered with its RIDER_FEE line. */
export function registerRiderFee(fee: {
  id: string;
  orderId: string;
  shopId: string;
  feeKrw: number;
  attemptId: string | null;
}): MoneyTransition<RiderFee> {
  return {
    state: { ...fee, status: "REGISTERED" },
    ledger: [{ kind: "RIDER_FEE", orderId: fee.orderId, amountKrw: fee.feeKrw }],
    events: [
      createEvent(PaymentEvents.RiderFeeRegistered, {
        orderId: fee.orderId,
        shopId: fee.shopId,
        feeKrw: fee.feeKrw,
      }),
    ],
  };
}

/**
 * The shop asks again for a fee already registered (its first call got "payment is busy"), maybe
 * with another fee: the call is recorded with this request's fee, so the registration follows it
 * while nothing was settled yet (otherwise the rider would be shown one fee and paid another),
 * and it now belongs to this attempt (a withdrawal of the earlier one leaves it alone). Null
 * when nothing changes.
 */
export function reregisterRiderFee(fee: RiderFee, feeKrw: number, attemptId: string | null): RiderFee | null {
  if (fee.status !== "REGISTERED" || (fee.feeKrw === feeKrw && fee.attemptId === attemptId)) return null;
  return { ...fee, feeKrw, attemptId };
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
): MoneyTransition<RiderFeeState> {
  if (fee.status === "SETTLED") throw illegalTransition("rider fee", fee.status, "settle");
  const reinstated: LedgerLine[] =
    fee.status === "CANCELLED"
      ? [
          {
            kind: "RIDER_FEE_REINSTATED",
            orderId: fee.orderId,
            amountKrw: fee.feeKrw,
            reference: riderCallId,
          },
        ]
      : [];
  return {
    state: { ...fee, status: "SETTLED" },
    ledger: [
      ...reinstated,
      { kind: "RIDER_SETTLEMENT", orderId: fee.orderId, amountKrw: fee.feeKrw, reference: riderCallId },
    ],
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
export function isWithdrawable(fee: RiderFee, attemptId: string): boolean {
  return fee.status === "REGISTERED" && fee.attemptId === attemptId;
}

/** The withdrawn fee goes (row and RIDER_FEE line, as if never registered); this is what is told. */
export function riderFeeWithdrawn(fee: RiderFeeState): EventEnvelope[] {
  return [
    createEvent(PaymentEvents.RiderFeeWithdrawn, {
      orderId: fee.orderId,
      shopId: fee.shopId,
      feeKrw: fee.feeKrw,
    }),
  ];
}

/** The delivery of a cancelled order will not happen: its registered fee is cancelled. */
export function cancelRiderFee(fee: RiderFeeState): MoneyTransition<RiderFeeState> | null {
  if (fee.status !== "REGISTERED") return null;
  return {
    state: { ...fee, status: "CANCELLED" },
    ledger: [{ kind: "RIDER_FEE_CANCELLED", orderId: fee.orderId, amountKrw: -fee.feeKrw }],
    events: [],
  };
}
