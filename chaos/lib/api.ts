/**
 * How the driver talks to Baedal: the real tRPC HTTP API of each context process, as the apps
 * do, with tokens from the platform's own issueToken — and one rule for which failures are
 * worth retrying.
 */
import { createTRPCClient, httpLink, TRPCClientError, type OperationLink, type TRPCLink } from "@trpc/client";
import type { AppRouter } from "@baedal/api";
import { issueToken, type Actor } from "@baedal/api/testing";
import { sleep } from "./random.js";

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Each call goes to the process serving its context (`order.place` → the order process). */
function routingLink(
  urlFor: (context: string) => string,
  token: string,
  timeoutMs: number,
): TRPCLink<AppRouter> {
  return (runtime) => {
    const links = new Map<string, OperationLink<AppRouter>>();
    return ({ op, next }) => {
      const context = op.path.split(".")[0]!;
      let link = links.get(context);
      if (!link) {
        link = httpLink<AppRouter>({
          url: `${urlFor(context)}/trpc`,
          headers: () => ({ authorization: `Bearer ${token}` }),
          // A hung process (SIGSTOP, a stalled database) must not hang the driver.
          fetch: (input, init) =>
            fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) }),
        })(runtime);
        links.set(context, link);
      }
      return link({ op, next });
    };
  };
}

export async function apiFor(
  urlFor: (context: string) => string,
  secret: string,
  actor: Actor,
  timeoutMs = 20_000,
): Promise<Api> {
  const token = await issueToken(secret, actor);
  return createTRPCClient<AppRouter>({ links: [routingLink(urlFor, token, timeoutMs)] });
}

export interface ApiFailure {
  code: string;
  reason: string | undefined;
  message: string;
}

/** What a failed call said: the tRPC code and reason, or NETWORK when no answer came back. */
function failureOf(err: unknown): ApiFailure {
  if (err instanceof TRPCClientError) {
    const data = err.data as { code?: string; reason?: string } | undefined;
    return { code: data?.code ?? "NETWORK", reason: data?.reason, message: err.message };
  }
  return { code: "NETWORK", reason: undefined, message: err instanceof Error ? err.message : String(err) };
}

const transientCodes = new Set([
  "NETWORK",
  "SERVICE_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
  "TIMEOUT",
  "TOO_MANY_REQUESTS",
  "BAD_GATEWAY",
  "GATEWAY_TIMEOUT",
  "CLIENT_CLOSED_REQUEST",
]);

/**
 * Worth asking again: nobody answered, the service said "busy" or failed inside (a process
 * being killed, the database restarting), or a compare-and-set lost a race (STALE).
 */
function isTransient(f: ApiFailure): boolean {
  return transientCodes.has(f.code) || f.reason === "STALE";
}

export class GaveUp extends Error {
  override name = "GaveUp";
}

/**
 * Calls `fn` until it succeeds or fails for a reason that is not transient (returned as a
 * failure, for the caller to judge). Gives up (throws GaveUp) at `deadline`.
 */
export async function persist<T>(
  what: string,
  deadline: () => number,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; failure: ApiFailure }> {
  let delay = 200;
  let last: ApiFailure | undefined;
  for (;;) {
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      const f = failureOf(err);
      if (!isTransient(f)) return { ok: false, failure: f };
      last = f;
    }
    if (Date.now() + delay > deadline()) {
      throw new GaveUp(
        `${what}: still failing at the deadline (${last?.code} ${last?.reason ?? ""} ${last?.message ?? ""})`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 1.6, 2_000);
  }
}

/** Polls `probe` until it returns a value; GaveUp at the deadline. Transient errors count as "not yet". */
export async function until<T>(
  what: string,
  deadline: () => number,
  probe: () => Promise<T | null | undefined | false>,
  intervalMs = 400,
): Promise<T> {
  let last = "";
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = "";
    } catch (err) {
      const f = failureOf(err);
      if (!isTransient(f)) throw err;
      last = ` (last: ${f.code} ${f.message})`;
    }
    if (Date.now() + intervalMs > deadline()) throw new GaveUp(`waited in vain for ${what}${last}`);
    await sleep(intervalMs);
  }
}
