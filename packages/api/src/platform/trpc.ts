import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Actor, Role } from "./auth.js";
import { toTRPCError } from "./errors.js";
import { clientMessage } from "./security/input-errors.js";

export interface RequestContext {
  actor: Actor | null;
  /** Adds a Set-Cookie header to the response (sessions live in httpOnly cookies). */
  setCookie: (cookie: string) => void;
  /** The request's Origin header, for CSRF checks. */
  origin: string | null;
  /** Sets a response header (e.g. Retry-After with a 429). */
  setHeader: (name: string, value: string) => void;
  /** The caller's IP (X-Forwarded-For only from a trusted proxy), for per-IP rate limits. */
  clientIp: string | null;
  /** The request's Cookie, Authorization and User-Agent headers (identity's sign-in and sign-out). */
  cookie: string | null;
  authorization: string | null;
  userAgent: string | null;
}

const t = initTRPC.context<RequestContext>().create({
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      // One readable line for bad input (not a JSON dump of zod issues), never the input itself.
      message: clientMessage(error, shape.message),
      // Never ship a stack to a client.
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        reason: cause && "reason" in cause && typeof cause.reason === "string" ? cause.reason : undefined,
        fieldErrors: cause instanceof ZodError ? cause.flatten().fieldErrors : undefined,
      },
    };
  },
});

export const router = t.router;
/** A reusable middleware (e.g. platform/security rate limits). */
export const middleware = t.middleware;
export const mergeRouters = t.mergeRouters;

/** Maps every thrown error to one tRPC code (DomainError → its code, unknown → 500 without details). */
const mapErrors = t.middleware(async ({ next }) => {
  const res = await next();
  // tRPC wraps anything thrown in an INTERNAL_SERVER_ERROR; unwrap ours to their own code.
  if (!res.ok && res.error.code === "INTERNAL_SERVER_ERROR") {
    return { ...res, error: toTRPCError(res.error.cause ?? res.error) };
  }
  return res;
});

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in" });
  return next({ ctx: { actor: ctx.actor } });
});

/** A procedure only the given roles may call. */
export const roleProcedure = (...allowed: Role[]) =>
  authedProcedure.use(({ ctx, next }) => {
    if (!allowed.includes(ctx.actor.role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "You are not allowed to do this" });
    }
    return next({ ctx });
  });
