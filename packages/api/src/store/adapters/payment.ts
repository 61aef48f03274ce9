import { paymentRpc, RpcClient, type Messaging, type PaymentRpc } from "@baedal/events";
import { DomainError } from "../../platform/errors.js";

/**
 * A rider's delivery fee in payment, synchronously (timeout + circuit breaker in RpcClient). A
 * business refusal becomes a CONFLICT; RemoteUnavailableError / RemoteTimeoutError propagate
 * unchanged (the API answers "payment is busy, please try again in a moment").
 */
export class RiderFeeRegistry {
  private readonly rpc: RpcClient<PaymentRpc>;

  constructor(m: Messaging, rpc?: RpcClient<PaymentRpc>) {
    this.rpc = rpc ?? new RpcClient(m, "payment", paymentRpc);
  }

  /** Registers the fee of the call attempt `attemptId` (the claim's id). */
  async register(input: {
    orderId: string;
    shopId: string;
    feeKrw: number;
    attemptId: string;
  }): Promise<string> {
    const reply = await this.rpc.call("registerRiderFee", input);
    if (!reply.ok) throw new DomainError("CONFLICT", reply.message, reply.code);
    return reply.data.riderFeeId;
  }

  /** Gives back whatever fee the attempt registered (idempotent; nothing registered is fine). */
  async withdraw(input: { orderId: string; attemptId: string }): Promise<void> {
    const reply = await this.rpc.call("withdrawRiderFee", input);
    if (!reply.ok) throw new DomainError("CONFLICT", reply.message, reply.code);
  }
}
