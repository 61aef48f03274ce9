import { DomainError } from "../platform/errors.js";
import { RateLimits } from "../platform/security/rate-limit.js";

// How much one caller may ask of order (docs/context-guide.md, `limits.ts`): orders per customer
// and checkouts waiting on payment per customer.

/**
 * Placing orders, per customer (each attempt authorizes a card). Counters in order's schema;
 * attached in index.ts; router.ts hands `consume` to the checkout, which spends it only for a new
 * attempt (a retry spends nothing).
 */
export const placeOrderLimits = new RateLimits("order", "orders in a short time", {
  customer: {
    env: "RATE_LIMIT_ORDER_PER_CUSTOMER",
    default: "10/1m",
    key: ({ ctx }) => ctx.actor?.userId ?? null,
  },
});

/**
 * How many checkouts one customer may have waiting on payment at once, in this process: one
 * customer retrying a card whose issuer hangs cannot tie up payment for everyone else.
 * (Per process: with n order replicas a customer gets at most n × the cap.)
 */
export class InFlightCheckouts {
  private readonly running = new Map<string, number>();

  constructor(private readonly cap: number) {}

  async run<T>(customerId: string, work: () => Promise<T>): Promise<T> {
    const now = this.running.get(customerId) ?? 0;
    if (now >= this.cap) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        "Your earlier checkout is still waiting for the card issuer; wait for it to finish before trying again",
        "CHECKOUT_IN_PROGRESS",
      );
    }
    this.running.set(customerId, now + 1);
    try {
      return await work();
    } finally {
      const left = (this.running.get(customerId) ?? 1) - 1;
      if (left > 0) this.running.set(customerId, left);
      else this.running.delete(customerId);
    }
  }
}
