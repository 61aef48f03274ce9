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
