import { text } from "@baedal/events";
import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { authedProcedure, publicProcedure, router, type RequestContext } from "../platform/trpc.js";
import { signInLimits, signInThrottle, signUpLimits } from "./limits.js";
import type { Caller, IdentityService, Session } from "./service.js";

export const identityService = new Slot<IdentityService>("identity");

const email = z.string().trim().email().max(200);

const callerOf = (ctx: RequestContext): Caller => ({
  cookie: ctx.cookie,
  authorization: ctx.authorization,
  userAgent: ctx.userAgent,
  ip: ctx.clientIp,
});

/** Hands Better Auth's httpOnly session cookies to the browser; its script only sees the user. */
function startSession(ctx: RequestContext, session: Session) {
  for (const c of session.cookies) ctx.setCookie(c);
  return { user: session.user };
}

export const identityRouter = router({
  signIn: publicProcedure
    .input(z.object({ email, password: text({ label: "Password", min: 1, max: 200, trim: false }) }).strict())
    .use(signInLimits.middleware)
    .use(signInThrottle.middleware)
    .mutation(async ({ ctx, input }) =>
      startSession(ctx, await identityService.get().signIn(input, callerOf(ctx))),
    ),

  signUp: publicProcedure
    .input(
      z
        .object({
          email,
          password: text({ label: "Password", min: 8, max: 200, trim: false }),
          name: text({ label: "Name", min: 1, max: 50 }),
          phone: z
            .string()
            .trim()
            .regex(/^[0-9+\- ]{6,20}$/, "Phone number looks wrong"),
        })
        .strict(),
    )
    .use(signUpLimits.middleware)
    .mutation(async ({ ctx, input }) =>
      startSession(ctx, await identityService.get().signUp(input, callerOf(ctx))),
    ),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    for (const c of await identityService.get().signOut(callerOf(ctx))) ctx.setCookie(c);
    return { ok: true };
  }),

  me: authedProcedure.query(({ ctx }) => identityService.get().me(ctx.actor.userId)),
});
