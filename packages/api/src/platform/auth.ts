import { getCookieCache } from "better-auth/cookies";
import { z } from "zod";
import { setting } from "./config.js";

export const roles = ["CUSTOMER", "SHOP_OWNER", "RIDER", "ADMIN"] as const;
export type Role = (typeof roles)[number];

/** Who is calling: every router takes the acting user from here, never from input. */
export interface Actor {
  userId: string;
  role: Role;
  name: string;
  /** The shop a SHOP_OWNER runs. */
  shopId: string | null;
}

/**
 * Sessions are Better Auth's (identity/adapters/better-auth.ts): the session row lives in
 * identity's tables, and Better Auth also writes the session and user into a signed JWT cookie
 * (its "cookie cache", strategy jwt). Every other context verifies that cookie with Better Auth's
 * own `getCookieCache` and the shared AUTH_SECRET — no call to identity, no read of its tables.
 */
export const sessionCookiePrefix = "baedal";
/** How long a sign-in lasts, both the session row and the signed session cookie. */
export const sessionMaxAgeSeconds = 12 * 60 * 60;

/** Secure cookies (the `__Secure-` name prefix) when served over HTTPS. */
export const secureCookies = () => setting("COOKIE_SECURE") === "1";

/** A session cookie's name as Better Auth sets it: our prefix, `__Secure-` over HTTPS. */
const cookieName = (name: "session_token" | "session_data", secure: boolean) =>
  `${secure ? "__Secure-" : ""}${sessionCookiePrefix}.${name}`;

/** The name of the cookie every context reads the session from. */
export const sessionDataCookie = (secure = secureCookies()) => cookieName("session_data", secure);

/** Set-Cookie values that remove a session's cookies (the token and the signed session data). */
export const expiredSessionCookies = (secure = secureCookies()) =>
  (["session_token", "session_data"] as const).map(
    (name) =>
      `${cookieName(name, secure)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`,
  );

/** The user inside Better Auth's session (and its sign-in answers), as far as the actor needs it. */
export const sessionUser = z.object({
  id: z.string().uuid(),
  role: z.enum(roles),
  name: z.string(),
  shopId: z.string().uuid().nullish(),
});

const validDateOr = (value: unknown, fallbackMs: number) => {
  const d = new Date(value as string | number | Date);
  return Number.isFinite(d.getTime()) ? d : new Date(fallbackMs);
};

/** A verified session: who it is, and which sign-in (its id) until when. */
export interface VerifiedSession {
  actor: Actor;
  sessionId: string;
  expiresAt: Date;
}

/**
 * The session of a request, from `Authorization: Bearer <session JWT>` or the session cookie,
 * verified by its signature and expiry; null when there is none or it does not verify.
 */
export async function sessionFromHeaders(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
): Promise<VerifiedSession | null> {
  const auth = headers["authorization"];
  const bearer = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : null;
  const cookie = bearer ? `${sessionDataCookie()}=${bearer}` : headers["cookie"];
  if (typeof cookie !== "string" || cookie === "") return null;
  const token = bearer ?? sessionTokenIn(cookie);
  const known = token ? verified.get(secret, token) : undefined;
  if (known) return known;
  const session = await verify(secret, cookie);
  if (session && token) verified.set(secret, token, session);
  return session;
}

/** The value of the session cookie in a Cookie header, or null. */
function sessionTokenIn(cookie: string): string | null {
  const prefix = `${sessionDataCookie()}=`;
  for (const part of cookie.split(";")) {
    const p = part.trim();
    if (p.startsWith(prefix)) return p.slice(prefix.length);
  }
  return null;
}

/**
 * Sessions already verified, by their token. Verifying a token costs about 0.5 ms of CPU (key
 * derivation and signature), paid on every request of every context; a token is a signed,
 * immutable value, so one that verified stays valid until its own expiry — which bounds each
 * entry. Only tokens that verified are kept (a forged one costs its verification every time, as
 * before), at most `maxEntries`, the oldest going first. Sign-outs are checked on every request
 * by the caller (`actorFromHeaders`' `isRevoked`), not here.
 */
class VerifiedSessions {
  private readonly entries = new Map<string, { session: VerifiedSession; until: number }>();
  constructor(private readonly maxEntries: number) {}

  get(secret: string, token: string): VerifiedSession | undefined {
    const key = `${secret}\n${token}`;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() < e.until) return e.session;
    this.entries.delete(key);
    return undefined;
  }

  set(secret: string, token: string, session: VerifiedSession): void {
    const exp = tokenExpiry(token);
    if (exp === null) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(`${secret}\n${token}`, { session, until: Math.min(exp, session.expiresAt.getTime()) });
  }
}
const verified = new VerifiedSessions(10_000);

/** The `exp` of a JWT (ms), read after its signature verified; null when it has none. */
function tokenExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

async function verify(secret: string, cookie: string): Promise<VerifiedSession | null> {
  try {
    const cached = await getCookieCache(new Headers({ cookie }), {
      secret,
      strategy: "jwt",
      cookiePrefix: sessionCookiePrefix,
      isSecure: secureCookies(),
    });
    const user = cached ? sessionUser.safeParse(cached.user) : null;
    if (!cached || !user?.success) return null;
    return {
      actor: {
        userId: user.data.id,
        role: user.data.role,
        name: user.data.name,
        shopId: user.data.shopId ?? null,
      },
      sessionId: String(cached.session.id),
      expiresAt: validDateOr(cached.session.expiresAt, Date.now() + sessionMaxAgeSeconds * 1000),
    };
  } catch {
    return null;
  }
}

/** The actor of a request: its verified session's user, unless that session was signed out. */
export async function actorFromHeaders(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  isRevoked: (sessionId: string) => boolean = () => false,
): Promise<Actor | null> {
  const session = await sessionFromHeaders(secret, headers);
  return session && !isRevoked(session.sessionId) ? session.actor : null;
}
