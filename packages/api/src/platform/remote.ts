import type { RpcReply } from "@baedal/events";
import { DomainError } from "./errors.js";

/**
 * The answer of another context's request/reply call (`PaymentClient`): its data, or its
 * business refusal as a CONFLICT whose reason is the refusal's code. A call that could not be
 * made or was not answered in time threw already (RemoteUnavailableError / RemoteTimeoutError)
 * and is not this function's: the API answers it with "… is busy, please try again".
 */
export function orThrow<T>(reply: RpcReply<T>): T {
  if (!reply.ok) throw new DomainError("CONFLICT", reply.message, reply.code);
  return reply.data;
}
