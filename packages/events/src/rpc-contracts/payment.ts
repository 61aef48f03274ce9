import { z } from "zod";
import { krw, uuid } from "../contracts/common.js";
import type { RpcContract } from "../rpc.js";

/** What other contexts may ask payment synchronously. Every method is idempotent by its key. */
export const paymentRpc = {
  /** Charges the card for an order attempt; the orderId is the idempotency key. */
  authorize: {
    input: z.object({
      orderId: uuid,
      customerId: uuid,
      amountKrw: krw.positive(),
      cardNumber: z.string().regex(/^\d{12,19}$/),
    }),
    output: z.object({ paymentId: uuid, status: z.literal("AUTHORIZED"), amountKrw: krw }),
  },
  /** What payment knows about an order attempt, for reconciling timeouts. */
  getAuthorization: {
    input: z.object({ orderId: uuid }),
    output: z.object({
      status: z.enum(["NONE", "AUTHORIZED", "VOIDED", "REFUNDED"]),
      paymentId: uuid.nullable(),
    }),
  },
  /** Voids an authorization that never became a placed order. */
  voidAuthorization: {
    input: z.object({ orderId: uuid }),
    output: z.object({ status: z.enum(["NONE", "VOIDED", "REFUNDED"]) }),
  },
  /**
   * Registers the fee of a rider call, once per order (a later call of the same order, after a
   * failed one, moves it to its own fee). `attemptId` names the store's call attempt, so that a
   * failed attempt's fee can be withdrawn (optional: a store of an earlier release sends none).
   */
  registerRiderFee: {
    input: z.object({ orderId: uuid, shopId: uuid, feeKrw: krw.positive(), attemptId: uuid.optional() }),
    output: z.object({ riderFeeId: uuid }),
  },
  /**
   * Gives back the fee a rider call attempt registered when the store did not record that call
   * (its transaction failed, its process died). Only that attempt's still unsettled fee goes;
   * the attempt is remembered, so that its registration arriving late is refused. Idempotent.
   */
  withdrawRiderFee: {
    input: z.object({ orderId: uuid, attemptId: uuid }),
    output: z.object({ withdrawn: z.boolean() }),
  },
  settleRiderFee: {
    input: z.object({ orderId: uuid, riderCallId: uuid, riderId: uuid, feeKrw: krw.positive() }),
    output: z.object({ settlementId: uuid }),
  },
} satisfies RpcContract;
export type PaymentRpc = typeof paymentRpc;

/** Payment's business refusals, as codes the caller can act on. */
export const paymentDeclineCodes = ["CARD_DECLINED", "INSUFFICIENT_FUNDS", "INVALID_CARD"] as const;
