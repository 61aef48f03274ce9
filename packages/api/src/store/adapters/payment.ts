import { paymentRpc, RpcClient, type Messaging, type PaymentRpc } from "@baedal/events";
import { DomainError } from "../../platform/errors.js";

/**
 * Registers a rider's delivery fee in payment, synchronously (timeout + circuit breaker in
 * RpcClient). A business refusal becomes a CONFLICT; RemoteUnavailableError / RemoteTimeoutError
 * propagate unchanged (the API answers "payment is busy, please try again in a moment").
 */
export class RiderFeeRegistry {
  private readonly rpc: RpcClient<PaymentRpc>;

  constructor(m: Messaging, rpc?: RpcClient<PaymentRpc>) {
    this.rpc = rpc ?? new RpcClient(m, "payment", paymentRpc);
  }

  async register(input: { orderId: string; shopId: string; feeKrw: number }): Promise<string> {
    const reply = await this.rpc.call("registerRiderFee", input);
    if (!reply.ok) throw new DomainError("CONFLICT", reply.message, reply.code);
    return reply.data.riderFeeId;
  }
}
