import type { PaymentClient } from "@baedal/events";
import { DomainError } from "../../platform/errors.js";

/**
 * A rider's delivery fee in payment, through the PaymentClient proxy. A business refusal
 * becomes a CONFLICT; RemoteUnavailableError / RemoteTimeoutError propagate unchanged (the API
 * answers "payment is busy, please try again in a moment").
 */
export class RiderFeeRegistry {
  constructor(private readonly payment: PaymentClient) {}

  /** Registers the fee of the call attempt `attemptId` (the claim's id). */
  async register(input: {
    orderId: string;
    shopId: string;
    feeKrw: number;
    attemptId: string;
  }): Promise<string> {
    const reply = await this.payment.registerRiderFee(input);
    if (!reply.ok) throw new DomainError("CONFLICT", reply.message, reply.code);
    return reply.data.riderFeeId;
  }

  /** Gives back whatever fee the attempt registered (idempotent; nothing registered is fine). */
  async withdraw(input: { orderId: string; attemptId: string }): Promise<void> {
    const reply = await this.payment.withdrawRiderFee(input);
    if (!reply.ok) throw new DomainError("CONFLICT", reply.message, reply.code);
  }
}
