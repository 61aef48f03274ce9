import { APIError } from "better-auth/api";
import { z } from "zod";
import { expiredSessionCookies, sessionFromHeaders, sessionUser } from "../platform/auth.js";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { createAuth, hashCredential, type BaedalAuth } from "./adapters/better-auth.js";
import { UserRepo } from "./adapters/repository.js";
import { customerSignUp, normalizeEmail, type ImportedAccount, type Profile } from "./domain/user.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

export type IdentityRuntime = ContextRuntime<PrismaClient, Prisma.TransactionClient>;

/** What a sign-in or sign-up gives the browser: Better Auth's session cookies, and the user. */
export interface Session {
  cookies: string[];
  user: Profile;
}

/** The parts of the caller's request identity needs: its credentials, user agent and IP. */
export interface Caller {
  cookie: string | null;
  /** `Bearer <session JWT>`: the session-data cookie's value, as server-side clients send it. */
  authorization: string | null;
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
  private betterAuth: BaedalAuth | undefined;
  constructor(private readonly rt: IdentityRuntime) {
    this.users = new UserRepo(rt.db);
  }

  /**
   * Better Auth, made on first use: it needs the process's AUTH_SECRET, which a command run
   * outside the process (the seed's import) does not have and does not need.
   */
  private get auth(): BaedalAuth {
    return (this.betterAuth ??= createAuth(this.rt.db, this.rt.config.AUTH_SECRET));
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
   * Ends the session(s) the request carries, whichever credential it came with: the signed
   * session-data cookie, a Bearer copy of it, or only the session-token cookie (whose row names
   * the session). Each session's id is recorded as signed out first, so a copy of its signed
   * cookie stops working in every context at once, not only when it expires; then the rows go
   * and the browser's cookies are cleared.
   */
  async signOut(caller: Caller): Promise<string[]> {
    const sessions = await this.sessionsOf(caller);
    for (const [sessionId, expiresAt] of sessions) {
      // Not fatal: the browser forgets its cookies either way, and failing would keep it signed in.
      await this.rt.sessions
        .revoke(sessionId, expiresAt)
        .catch((err: unknown) =>
          this.rt.log.warn({ err: String(err) }, "could not record the sign-out for other contexts"),
        );
    }
    // The sign-out stands without this (the ids are revoked); a row left behind expires on its own.
    await this.users
      .deleteSessions([...sessions.keys()])
      .catch((err: unknown) =>
        this.rt.log.warn({ err: String(err) }, "could not delete signed-out sessions"),
      );
    return caller.cookie ? expiredSessionCookies() : [];
  }

  /** Session id → expiry of every session a credential of the request names. */
  private async sessionsOf(caller: Caller): Promise<Map<string, Date>> {
    const found = new Map<string, Date>();
    const secret = this.rt.config.AUTH_SECRET;
    // The Bearer token and the session-data cookie are verified separately: either may be alone.
    for (const headers of [
      { authorization: caller.authorization ?? undefined },
      { cookie: caller.cookie ?? undefined },
    ]) {
      const s = await sessionFromHeaders(secret, headers);
      if (s) found.set(s.sessionId, s.expiresAt);
    }
    if (caller.cookie) {
      // The session-token cookie (signed by Better Auth) names a row; read it before it goes.
      const row = await this.auth.api
        .getSession({ headers: new Headers({ cookie: caller.cookie }), query: { disableCookieCache: true } })
        // A cookie Better Auth refuses names no session; any other failure is a real one (a 500,
        // not a sign-out that claims success while a copy of the session keeps working).
        .catch((err: unknown) => {
          if (err instanceof APIError) return null;
          throw err;
        });
      if (row) found.set(row.session.id, new Date(row.session.expiresAt));
    }
    return found;
  }

  async me(userId: string): Promise<Profile> {
    const user = await this.users.byId(userId);
    if (!user) throw notFound("User");
    return user;
  }

  /**
   * Brings in whole accounts (the demo data), idempotently: an account whose id exists is left as
   * it is, so running it again changes nothing. Identity publishes no events. Returns how many
   * users were new.
   */
  async importAccounts(accounts: ImportedAccount[]): Promise<number> {
    const hashes = new Map<string, Promise<string>>();
    const hashed = await Promise.all(
      accounts.map(async ({ password, ...a }) => {
        // scrypt is slow on purpose: one hash per distinct password of the batch.
        if (!hashes.has(password)) hashes.set(password, hashCredential(password));
        return { ...a, email: normalizeEmail(a.email), passwordHash: await hashes.get(password)! };
      }),
    );
    return this.rt.uow.run(async (tx) => ({
      result: await new UserRepo(tx).insertIfAbsent(hashed),
      events: [],
    }));
  }
}
