import type { z } from "zod";
import type { Messaging } from "../nats.js";
import { RpcClient, type RpcClientOptions, type RpcReply } from "../rpc.js";
import { paymentRpc, type PaymentRpc } from "./payment.js";

type In<K extends keyof PaymentRpc> = z.infer<PaymentRpc[K]["input"]>;
type Out<K extends keyof PaymentRpc> = Promise<RpcReply<z.infer<PaymentRpc[K]["output"]>>>;

/**
 * The one way any context calls payment: a proxy with a method per operation of `paymentRpc`
 * (as FTGO's saga participants each get one proxy class). Timeout, circuit breaker and bulkhead
 * come from the RpcClient inside. A business refusal comes back as `ok: false`; a call that could
 * not be made throws RemoteUnavailableError (`neverDelivered` when it provably never left), one
 * that was not answered in time RemoteTimeoutError (its outcome is unknown).
 */
export class PaymentClient {
  private readonly rpc: RpcClient<PaymentRpc>;

  constructor(m: Messaging, opts?: RpcClientOptions) {
    this.rpc = new RpcClient(m, "payment", paymentRpc, opts);
  }

  /** Charges the card for a checkout attempt; the attempt's (future order's) id is the key. */
  authorize(input: In<"authorize">): Out<"authorize"> {
    return this.rpc.call("authorize", input);
  }

  /** Voids the authorizations of attempts that never became orders (or tombstones them). */
  voidAuthorizations(input: In<"voidAuthorizations">): Out<"voidAuthorizations"> {
    return this.rpc.call("voidAuthorizations", input);
  }

  registerRiderFee(input: In<"registerRiderFee">): Out<"registerRiderFee"> {
    return this.rpc.call("registerRiderFee", input);
  }

  withdrawRiderFee(input: In<"withdrawRiderFee">): Out<"withdrawRiderFee"> {
    return this.rpc.call("withdrawRiderFee", input);
  }

  settleRiderFee(input: In<"settleRiderFee">): Out<"settleRiderFee"> {
    return this.rpc.call("settleRiderFee", input);
  }

  /** The breaker is open: a call now would be refused without leaving this process. */
  get refusingCalls(): boolean {
    return this.rpc.refusingCalls;
  }

  /** How long a call waits for its answer. */
  get timeoutMs(): number {
    return this.rpc.timeoutMs;
  }

  /** Runs `fn` whenever payment answers again after a failed call. */
  onRecovered(fn: () => void): void {
    this.rpc.onRecovered(fn);
  }
}
