import type { PaymentClient, RpcReply } from "@baedal/events";

/**
 * Settles a rider's fee in payment, through the PaymentClient proxy. Payment settles once per
 * order, so asking again after a timeout is safe. Throws RemoteUnavailableError /
 * RemoteTimeoutError when payment cannot be reached; a refusal comes back as `ok: false`.
 */
export class RiderFeeSettler {
  constructor(private readonly payment: PaymentClient) {}

  settle(input: {
    orderId: string;
    riderCallId: string;
    riderId: string;
    feeKrw: number;
  }): Promise<RpcReply<{ settlementId: string }>> {
    return this.payment.settleRiderFee(input);
  }
}
