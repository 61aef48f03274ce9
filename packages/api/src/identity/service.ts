import { APIError } from "better-auth/api";
import { z } from "zod";
import { expiredSessionCookies, sessionFromHeaders, sessionUser } from "../platform/auth.js";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { createAuth, type BaedalAuth } from "./adapters/better-auth.js";
import { UserRepo } from "./adapters/user-repo.js";
import { customerSignUp, normalizeEmail, type Profile } from "./domain/user.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

export type IdentityRuntime = ContextRuntime<PrismaClient, Prisma.TransactionClient>;

/** What a sign-in or sign-up gives the browser: Better Auth's session cookies, and the user. */
export interface Session {
  cookies: string[];
  user: Profile;
}

/** The parts of the caller's request Better Auth needs: its cookies, user agent and IP. */
export interface Caller {
  cookie: string | null;
  userAgent: string | null;
  ip: string | null;
}

const profileFields = sessionUser.extend({
  email: z.string(),
  phone: z.string(),
  createdAt: z.coerce.date(),
});

const badCredentials = () =>
  new DomainError("UNAUTHORIZED", "Email or password is incorrect", "BAD_CREDENTIALS");
const emailTaken = () =>
  new DomainError("CONFLICT", "An account with this email already exists", "EMAIL_TAKEN");

/** Better Auth's refusals in our words (its other failures stay unexpected: a 500, logged). */
function refusal(err: unknown): unknown {
  if (!(err instanceof APIError)) return err;
  const code = String((err.body as { code?: unknown } | undefined)?.code ?? "");
  if (code === "INVALID_EMAIL_OR_PASSWORD" || err.status === "UNAUTHORIZED") return badCredentials();
  if (code.startsWith("USER_ALREADY_EXISTS")) return emailTaken();
  if (["INVALID_EMAIL", "PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG"].includes(code))
    return new DomainError("BAD_REQUEST", err.message, code);
  return err;
}

const headersOf = (c: Caller) => {
  const h = new Headers();
  if (c.cookie) h.set("cookie", c.cookie);
  if (c.userAgent) h.set("user-agent", c.userAgent);
  if (c.ip) h.set("x-forwarded-for", c.ip);
  return h;
};

export class IdentityService {
  private readonly users: UserRepo;
  private readonly auth: BaedalAuth;
  constructor(private readonly rt: IdentityRuntime) {
    this.users = new UserRepo(rt.db);
    this.auth = createAuth(rt.db, rt.config.AUTH_SECRET);
  }

  /** Better Auth answers with the user it just read or wrote: no second read for the profile. */
  private session(user: unknown, headers: Headers): Session {
    const u = profileFields.parse(user);
    return { cookies: headers.getSetCookie(), user: { ...u, shopId: u.shopId ?? null } };
  }

  async signIn(input: { email: string; password: string }, caller: Caller): Promise<Session> {
    try {
      const { headers, response } = await this.auth.api.signInEmail({
        body: { email: normalizeEmail(input.email), password: input.password, rememberMe: true },
        headers: headersOf(caller),
        returnHeaders: true,
      });
      return this.session(response.user, headers);
    } catch (err) {
      throw refusal(err);
    }
  }

  async signUp(
    input: { email: string; password: string; name: string; phone: string },
    caller: Caller,
  ): Promise<Session> {
    try {
      const { headers, response } = await this.auth.api.signUpEmail({
        body: customerSignUp(input),
        headers: headersOf(caller),
        returnHeaders: true,
      });
      return this.session(response.user, headers);
    } catch (err) {
      throw refusal(err);
    }
  }

  /**
   * Ends the session: its row is deleted and the cookies are cleared (also when it had expired),
   * and its id is recorded as signed out, so a copy of its signed cookie stops working in every
   * context, not only once it expires.
   */
  async signOut(caller: Caller): Promise<string[]> {
    if (!caller.cookie) return [];
    const session = await sessionFromHeaders(this.rt.config.AUTH_SECRET, { cookie: caller.cookie });
    if (session) {
      // First, so that even a sign-out failing below leaves no copy of the cookie working.
      // Not fatal: the browser forgets its cookies either way, and failing would keep it signed in.
      await this.rt.sessions
        .revoke(session.sessionId, session.expiresAt)
        .catch((err: unknown) =>
          this.rt.log.warn({ err: String(err) }, "could not record the sign-out for other contexts"),
        );
    }
    try {
      const { headers } = await this.auth.api.signOut({ headers: headersOf(caller), returnHeaders: true });
      return headers.getSetCookie();
    } catch (err) {
      if (err instanceof APIError) return expiredSessionCookies();
      throw err;
    }
  }

  async me(userId: string): Promise<Profile> {
    const user = await this.users.byId(userId);
    if (!user) throw notFound("User");
    return user;
  }
}
