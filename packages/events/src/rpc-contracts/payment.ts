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
  /**
   * Voids the authorizations of checkout attempts that never became placed orders, many at once
   * (after an outage there may be hundreds): each is voided and refunded, or tombstoned so that a
   * late authorize cannot charge. Idempotent per order id.
   */
  voidAuthorizations: {
    input: z.object({ orderIds: z.array(uuid).min(1).max(500) }),
    output: z.object({
      results: z.array(z.object({ orderId: uuid, status: z.enum(["VOIDED", "REFUNDED"]) })),
    }),
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

/**
 * Payment's final answers about a card: this checkout attempt can never be charged (the card
 * declined, or its issuer did not answer in time and payment made sure nothing stays charged).
 */
export const paymentDeclineCodes = ["CARD_DECLINED", "INSUFFICIENT_FUNDS", "INVALID_CARD", "ISSUER_TIMEOUT"] as const;

/**
 * Payment's "not now" answers to authorize: nothing was charged (the card gateway was not even
 * asked), so the attempt may be tried again with the same key and needs no void.
 */
export const paymentNotChargedCodes = ["GATEWAY_UNAVAILABLE", "PAYMENT_OVERLOADED"] as const;
