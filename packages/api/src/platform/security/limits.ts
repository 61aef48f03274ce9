import { createHash } from "node:crypto";
import ipaddr from "ipaddr.js";
import { DomainError } from "../errors.js";
import { RateLimits } from "./rate-limit.js";
import { SignInThrottle } from "./sign-in-throttle.js";

/** Emails are counted by hash: the counters table holds no addresses. */
const emailKey = (input: unknown) => {
  const email = (input as { email?: unknown } | null)?.email;
  if (typeof email !== "string") return null;
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 40);
};

/**
 * The client address a limit counts against: IPv4 as it is (also when IPv4-mapped), IPv6 by its
 * /64 — one subscriber's block, so hopping through its addresses does not buy new budgets.
 */
function addressKey(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return ip ?? "unknown";
  const addr = ipaddr.process(ip);
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/**
 * Sign-in, per client address: one address trying many accounts. Every attempt counts.
 * Counters in identity's schema.
 */
export const signInLimits = new RateLimits("identity", "sign-in attempts from this address", {
  ip: { env: "RATE_LIMIT_SIGNIN_PER_IP", default: "50/15m", key: ({ ctx }) => addressKey(ctx.clientIp) },
});

/**
 * Sign-in, per account: failed attempts per account and address, and a ceiling per account that
 * holds back only addresses the account never signed in from (sign-in-throttle.ts). Counters in
 * identity's schema.
 */
export const signInThrottle = new SignInThrottle({
  context: "identity",
  perAccountAddress: { env: "RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP", default: "5/15m" },
  perAccount: { env: "RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT", default: "50/1h" },
  knownForSeconds: 30 * 24 * 3600,
  keys: ({ ctx, input }) => {
    const account = emailKey(input);
    return account === null ? null : { account, address: addressKey(ctx.clientIp) };
  },
  wrongCredentials: (err) => err instanceof DomainError && err.reason === "BAD_CREDENTIALS",
});

/** Sign-up, per IP: one address cannot mint accounts in bulk. Counters in identity's schema. */
export const signUpLimits = new RateLimits("identity", "new accounts from this address", {
  ip: { env: "RATE_LIMIT_SIGNUP_PER_IP", default: "20/1h", key: ({ ctx }) => addressKey(ctx.clientIp) },
});

/** Placing orders, per customer (each attempt authorizes a card). Counters in order's schema. */
export const placeOrderLimits = new RateLimits("order", "orders in a short time", {
  customer: {
    env: "RATE_LIMIT_ORDER_PER_CUSTOMER",
    default: "10/1m",
    key: ({ ctx }) => ctx.actor?.userId ?? null,
  },
});
