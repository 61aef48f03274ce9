import { createHash } from "node:crypto";
import { DomainError } from "../platform/errors.js";
import { addressKey, RateLimits } from "../platform/security/rate-limit.js";
import { SignInThrottle } from "../platform/security/sign-in-throttle.js";

// How much one caller may ask of identity (docs/context-guide.md, `limits.ts`): the budgets of
// signing in and up, on the platform's mechanisms. Counters in identity's schema (its
// `rate_limits`); attached in index.ts, used as middleware in router.ts.

/** Emails are counted by hash: the counters table holds no addresses. */
const emailKey = (input: unknown) => {
  const email = (input as { email?: unknown } | null)?.email;
  if (typeof email !== "string") return null;
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 40);
};

/** Sign-in, per client address: one address trying many accounts. Every attempt counts. */
export const signInLimits = new RateLimits("identity", "sign-in attempts from this address", {
  ip: { env: "RATE_LIMIT_SIGNIN_PER_IP", default: "50/15m", key: ({ ctx }) => addressKey(ctx.clientIp) },
});

/**
 * Sign-in, per account: failed attempts per account and address, and a ceiling per account that
 * holds back only addresses the account never signed in from (platform/security/sign-in-throttle.ts).
 * A failure is the service's refusal of the email and password (`BAD_CREDENTIALS`).
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

/** Sign-up, per client address: one address cannot mint accounts in bulk. */
export const signUpLimits = new RateLimits("identity", "new accounts from this address", {
  ip: { env: "RATE_LIMIT_SIGNUP_PER_IP", default: "20/1h", key: ({ ctx }) => addressKey(ctx.clientIp) },
});
