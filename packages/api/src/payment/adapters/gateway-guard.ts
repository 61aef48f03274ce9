import { BrokenCircuitError, SamplingBreaker, circuitBreaker, handleAll } from "cockatiel";
import type { CardGateway, ChargeResult } from "./gateway.js";

/** How a guarded charge ended: the processor's answer, no answer in time, or not asked at all. */
export type GuardedCharge = { kind: "answered"; result: ChargeResult } | { kind: "timed-out" } | { kind: "unavailable" };

/**
 * Payment's own timeout and circuit breaker around the card processor (cockatiel's breaker), so
 * that a processor slow for one card is an answer about that checkout, given before the caller's
 * deadline, and never a timeout that opens order's breaker for everyone.
 *
 * The timeout is the processor's: the gateway stops waiting for the processor when the signal
 * aborts and throws; its own bookkeeping once the processor answered is not cut short (a busy
 * database here is payment being slow, which the caller's own timeout deals with, not the card's
 * issuer). The breaker samples: it opens when at least half the charges of the last 10 s failed,
 * and only under real traffic, so a few customers retrying a card whose issuer hangs fail among
 * many good charges and cannot open it; a processor that is down for everyone does.
 */
export class GatewayGuard {
  private readonly breaker = circuitBreaker(handleAll, {
    halfOpenAfter: 10_000,
    breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000, minimumRps: 5 }),
  });

  async charge(
    gateway: CardGateway,
    req: { key: string; amountKrw: number; cardNumber: string },
    timeoutMs: number,
  ): Promise<GuardedCharge> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const result = await this.breaker.execute(() => gateway.charge(req, signal));
      return { kind: "answered", result };
    } catch (err) {
      if (err instanceof BrokenCircuitError) return { kind: "unavailable" };
      if (signal.aborted) return { kind: "timed-out" };
      throw err;
    }
  }
}
