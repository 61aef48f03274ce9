import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { krw, uuid } from "./common.js";

const source = "payment";
const byOrder = (d: { orderId: string }) => ({ orderId: d.orderId, key: d.orderId });

export const PaymentRefunded = defineEvent({
  type: "PaymentRefunded",
  source,
  schema: z.object({ paymentId: uuid, orderId: uuid, amountKrw: krw }),
  keyOf: byOrder,
});

/** An authorization that never became an order (a timed-out attempt) was voided. */
export const PaymentVoided = defineEvent({
  type: "PaymentVoided",
  source,
  schema: z.object({ paymentId: uuid, orderId: uuid, amountKrw: krw }),
  keyOf: byOrder,
});

export const RiderFeeRegistered = defineEvent({
  type: "RiderFeeRegistered",
  source,
  schema: z.object({ orderId: uuid, shopId: uuid, feeKrw: krw }),
  keyOf: byOrder,
});

/** The fee of a rider call the store did not record was given back (see paymentRpc.withdrawRiderFee). */
export const RiderFeeWithdrawn = defineEvent({
  type: "RiderFeeWithdrawn",
  source,
  schema: z.object({ orderId: uuid, shopId: uuid, feeKrw: krw }),
  keyOf: byOrder,
});

export const RiderFeeSettled = defineEvent({
  type: "RiderFeeSettled",
  source,
  schema: z.object({ settlementId: uuid, orderId: uuid, riderCallId: uuid, riderId: uuid, feeKrw: krw }),
  keyOf: byOrder,
});
