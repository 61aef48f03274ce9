import { createHash } from "node:crypto";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { DomainError } from "../errors.js";
import { logger } from "../logger.js";
import { middleware, type RequestContext } from "../trpc.js";
import { parseBudget, storedLimiter, tooManyRequests, type LimitStore } from "./rate-limit.js";
import { rateLimitEnv, type RateLimitEnv } from "../config.js";

/** A budget from the environment: `10/15m` in `env`, `default` when unset. */
interface BudgetSetting {
  env: string;
  default: string;
}

export interface SignInThrottleRules {
  /** Context that owns the counters (its `rate_limits` table). */
  context: string;
  /** Failed sign-ins of one account from one client address. */
  perAccountAddress: BudgetSetting;
  /** Failed sign-ins of one account from addresses it has not signed in from (the ceiling). */
  perAccount: BudgetSetting;
  /** How long an address the account signed in from counts as known. */
  knownForSeconds: number;
  /** The account (a hash) and the client address a call is about; null when it names none. */
  keys: (call: { ctx: RequestContext; input: unknown }) => { account: string; address: string } | null;
  /** Whether the procedure refused the email and password (as opposed to succeeding or breaking). */
  wrongCredentials: (err: unknown) => boolean;
}

interface Counters {
  pair: RateLimiterAbstract;
  account: RateLimiterAbstract;
  known: RateLimiterAbstract;
}

interface Attempt {
  account: string;
  pair: string;
  known: boolean;
}

const pairKey = (account: string, address: string) =>
  createHash("sha256").update(`${account}|${address}`).digest("hex").slice(0, 40);

/**
 * Password guessing is slowed down without letting anyone lock the owner out (OWASP
 * Authentication Cheat Sheet, "account lockout"):
 *  - per account and address: an address that keeps failing for one account waits (429 with
 *    Retry-After until its window ends); other addresses are not affected, and a successful
 *    sign-in clears that address's count;
 *  - per account, a ceiling on failures from addresses the account has never signed in from: a
 *    guesser spread over many addresses gets at most that many password checks per window.
 *    Addresses the account signed in from before (within `knownForSeconds`) are held only by
 *    their own per-address budget — a guesser cannot make an address known without the
 *    password — so the owner keeps signing in from their usual addresses during such an attack.
 * Password checks per account per window are therefore bounded by the ceiling plus the
 * per-address budget of each known address. A check is reserved before the password is tested
 * (atomic in Postgres, so parallel requests cannot overrun a budget) and given back when the
 * attempt succeeds or breaks for another reason.
 */
export class SignInThrottle {
  private counters: Counters | null = null;

  constructor(private readonly rules: SignInThrottleRules) {}

  /** Called from the owning context's setup: binds the counters to its pool and schema. */
  attach(store: LimitStore, env: RateLimitEnv = rateLimitEnv()): void {
    const { context, perAccountAddress, perAccount, knownForSeconds } = this.rules;
    const budget = (b: BudgetSetting) => parseBudget(b.env, env[b.env] ?? b.default);
    this.counters = {
      pair: storedLimiter(store, `${context}:signin-fail-pair`, budget(perAccountAddress)),
      account: storedLimiter(store, `${context}:signin-fail-account`, budget(perAccount)),
      known: storedLimiter(store, `${context}:signin-known`, { points: 1, seconds: knownForSeconds }),
    };
  }

  detach(): void {
    this.counters = null;
  }

  /** The tRPC middleware; after `.input()` so it can key on the validated email. */
  readonly middleware = middleware(async ({ ctx, input, next }) => {
    const keys = this.rules.keys({ ctx, input });
    if (!keys) return next();
    const attempt = await this.admit(ctx, keys);
    const res = await next();
    const outcome = res.ok ? "success" : this.rules.wrongCredentials(res.error.cause) ? "failure" : "other";
    // The answer stands whatever happens to the bookkeeping (Postgres down: the insurance counters).
    await this.settle(attempt, outcome).catch((err: unknown) =>
      logger.warn({ err: String(err) }, "sign-in throttle: could not record an outcome"),
    );
    return res;
  });

  private live(): Counters {
    if (!this.counters)
      throw new DomainError("SERVICE_UNAVAILABLE", `${this.rules.context} does not run in this process`);
    return this.counters;
  }

  /** Reserves this attempt's password check, or refuses it with 429 and Retry-After. */
  private async admit(ctx: RequestContext, keys: { account: string; address: string }): Promise<Attempt> {
    const c = this.live();
    const pair = pairKey(keys.account, keys.address);
    await c.pair.consume(pair).catch((err: unknown) => {
      throw refusal(ctx, err, "failed sign-ins from this address");
    });
    const known = ((await c.known.get(pair))?.consumedPoints ?? 0) > 0;
    if (!known) {
      await c.account.consume(keys.account).catch(async (err: unknown) => {
        await c.pair.reward(pair); // this address did not get to try: nothing to hold against it
        throw refusal(ctx, err, "failed sign-ins for this account");
      });
    }
    return { account: keys.account, pair, known };
  }

  private async settle(a: Attempt, outcome: "success" | "failure" | "other"): Promise<void> {
    const c = this.live();
    if (outcome === "success") {
      await Promise.all([
        c.pair.delete(a.pair),
        c.known.set(a.pair, 1, this.rules.knownForSeconds),
        a.known ? null : c.account.reward(a.account),
      ]);
    } else if (outcome === "failure") {
      // A known address's failure was not reserved against the ceiling; it still counts there.
      if (a.known) await c.account.penalty(a.account);
    } else {
      await Promise.all([c.pair.reward(a.pair), a.known ? null : c.account.reward(a.account)]);
    }
  }
}

/** A spent budget becomes our 429; anything else (a broken store) stays what it is. */
function refusal(ctx: RequestContext, err: unknown, what: string): unknown {
  return err instanceof RateLimiterRes ? tooManyRequests(ctx, what, err.msBeforeNext) : err;
}
