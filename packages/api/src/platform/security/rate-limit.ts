import ipaddr from "ipaddr.js";
import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { DomainError } from "../errors.js";
import { middleware, type RequestContext } from "../trpc.js";
import { rateLimitEnv, type RateLimitEnv } from "../config.js";

/** `10/15m`: at most 10 within 15 minutes (units s, m, h). */
export interface Budget {
  points: number;
  seconds: number;
}

export function parseBudget(name: string, spec: string): Budget {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*([smh])\s*$/.exec(spec);
  const points = Number(m?.[1]);
  const seconds = Number(m?.[2]) * ({ s: 1, m: 60, h: 3600 } as const)[(m?.[3] ?? "s") as "s" | "m" | "h"];
  if (!m || points < 1 || seconds < 1) {
    throw new Error(
      `${name} must look like 10/15m (at most 10 per 15 minutes; units s, m, h), not "${spec}"`,
    );
  }
  return { points, seconds };
}

/**
 * The client address a limit counts against: IPv4 as it is (also when IPv4-mapped), IPv6 by its
 * /64 — one subscriber's block, so hopping through its addresses does not buy new budgets.
 */
export function addressKey(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return ip ?? "unknown";
  const addr = ipaddr.process(ip);
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

export interface LimitRule {
  /** Environment variable with the budget, e.g. RATE_LIMIT_SIGNIN_PER_IP=50/15m. */
  env: string;
  default: string;
  /** What one call counts against; null when the rule does not apply to this call. */
  key: (call: { ctx: RequestContext; input: unknown }) => string | null;
}

/** What a context's process gives its limits: its pool and schema (the table lives there). */
export interface LimitStore {
  pool: pg.Pool;
  schema: string;
}

/** The table every limit of a context shares (the shared set platform/migrations/rate-limits). */
const rateLimitTable = "rate_limits";

function wait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
}

/** The one refusal of every limit: 429 TOO_MANY_REQUESTS, reason RATE_LIMITED, with Retry-After. */
export function tooManyRequests(ctx: RequestContext, what: string, retryMs: number): DomainError {
  ctx.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryMs / 1000))));
  return new DomainError(
    "TOO_MANY_REQUESTS",
    `Too many ${what}. Try again in ${wait(retryMs)}.`,
    "RATE_LIMITED",
  );
}

/**
 * One counter in the owning context's `rate_limits` table (rate-limiter-flexible), shared by all
 * its replicas; if Postgres cannot be reached the process falls back to its own in-memory counter
 * (the library's insurance limiter) rather than failing open or refusing everyone.
 */
export function storedLimiter(store: LimitStore, keyPrefix: string, budget: Budget): RateLimiterAbstract {
  const opts = { keyPrefix, points: budget.points, duration: budget.seconds };
  return new RateLimiterPostgres({
    ...opts,
    storeClient: store.pool,
    storeType: "pool",
    schemaName: store.schema,
    tableName: rateLimitTable,
    tableCreated: true,
    insuranceLimiter: new RateLimiterMemory(opts),
  });
}

/**
 * Rate limits of one procedure: every call counts against each rule's key (`storedLimiter`
 * counters, so every replica of the context counts against the same budget).
 */
export class RateLimits {
  private limiters: Map<string, RateLimiterAbstract> | null = null;

  constructor(
    /** Context that owns the counters (for the "not running here" message). */
    readonly context: string,
    /** What is limited, for the message: "sign-in attempts", "orders". */
    readonly what: string,
    readonly rules: Record<string, LimitRule>,
  ) {}

  /** Called from the owning context's setup: binds the counters to its pool and schema. */
  attach(store: LimitStore, env: RateLimitEnv = rateLimitEnv()): void {
    const limiters = new Map<string, RateLimiterAbstract>();
    for (const [name, rule] of Object.entries(this.rules)) {
      const budget = parseBudget(rule.env, env[rule.env] ?? rule.default);
      limiters.set(name, storedLimiter(store, `${this.context}:${name}`, budget));
    }
    this.limiters = limiters;
  }

  detach(): void {
    this.limiters = null;
  }

  /** Counts one call against every rule; throws TOO_MANY_REQUESTS (with Retry-After) when one is spent. */
  async consume(ctx: RequestContext, input: unknown): Promise<void> {
    const limiters = this.limiters;
    if (!limiters)
      throw new DomainError("SERVICE_UNAVAILABLE", `${this.context} does not run in this process`);
    const outcomes = await Promise.allSettled(
      Object.entries(this.rules).map(async ([name, rule]) => {
        const key = rule.key({ ctx, input });
        if (key !== null) await limiters.get(name)!.consume(key);
      }),
    );
    let retryMs = -1;
    for (const o of outcomes) {
      if (o.status === "fulfilled") continue;
      // The library rejects with a RateLimiterRes when the budget is spent, an Error otherwise.
      if (!(o.reason instanceof RateLimiterRes)) throw o.reason;
      retryMs = Math.max(retryMs, o.reason.msBeforeNext);
    }
    if (retryMs >= 0) throw tooManyRequests(ctx, this.what, retryMs);
  }

  /** The tRPC middleware; put it after `.input()` so rules can key on the validated input. */
  readonly middleware = middleware(async ({ ctx, input, next }) => {
    await this.consume(ctx, input);
    return next();
  });
}
