import { paymentRpc, RpcClient, type Messaging, type PaymentRpc, type RpcReply } from "@baedal/events";

/**
 * Settles a rider's fee in payment (timeout + circuit breaker in RpcClient). Payment settles
 * once per order, so asking again after a timeout is safe. Throws RemoteUnavailableError /
 * RemoteTimeoutError when payment cannot be reached; a refusal comes back as `ok: false`.
 */
export class RiderFeeSettler {
  private readonly rpc: RpcClient<PaymentRpc>;

  constructor(m: Messaging, rpc?: RpcClient<PaymentRpc>) {
    this.rpc = rpc ?? new RpcClient(m, "payment", paymentRpc);
  }

  settle(input: { orderId: string; riderCallId: string; riderId: string; feeKrw: number }): Promise<RpcReply<{ settlementId: string }>> {
    return this.rpc.call("settleRiderFee", input);
  }
}
