import { createHash } from "node:crypto";
import { RateLimits } from "./rate-limit.js";

/** Emails are counted by hash: the counters table holds no addresses. */
const emailKey = (input: unknown) => {
  const email = (input as { email?: unknown } | null)?.email;
  if (typeof email !== "string") return null;
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 40);
};

/**
 * Sign-in: per email (guessing one account's password) and per IP (trying many accounts).
 * Every attempt counts, successful or not. Counters in identity's schema.
 */
export const signInLimits = new RateLimits("identity", "sign-in attempts", {
  email: { env: "RATE_LIMIT_SIGNIN_PER_EMAIL", default: "10/15m", key: ({ input }) => emailKey(input) },
  ip: { env: "RATE_LIMIT_SIGNIN_PER_IP", default: "50/15m", key: ({ ctx }) => ctx.clientIp ?? "unknown" },
});

/** Sign-up, per IP: one address cannot mint accounts in bulk. Counters in identity's schema. */
export const signUpLimits = new RateLimits("identity", "new accounts from this address", {
  ip: { env: "RATE_LIMIT_SIGNUP_PER_IP", default: "20/1h", key: ({ ctx }) => ctx.clientIp ?? "unknown" },
});

/** Placing orders, per customer (each attempt authorizes a card). Counters in order's schema. */
export const placeOrderLimits = new RateLimits("order", "orders in a short time", {
  customer: {
    env: "RATE_LIMIT_ORDER_PER_CUSTOMER",
    default: "10/1m",
    key: ({ ctx }) => ctx.actor?.userId ?? null,
  },
});
