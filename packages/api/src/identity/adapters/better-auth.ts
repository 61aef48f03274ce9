import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import bcrypt from "bcryptjs";
import { secureCookies, sessionCookiePrefix, sessionMaxAgeSeconds } from "../../platform/auth.js";
import type { PrismaClient } from "../generated/client.js";
import { setting } from "../../platform/config.js";

/**
 * Accounts, password hashing (scrypt), sign-in and sessions are Better Auth's. Its tables
 * (users, accounts, sessions, verifications) are identity's, migrated like every other table
 * (migrations/0003_better_auth.sql) and read through identity's Prisma client.
 *
 * Besides the session row, Better Auth writes the session and user — with our role and shopId —
 * into a signed JWT cookie ("cookie cache", strategy jwt) lasting as long as the session; that
 * cookie is what every other context verifies (platform/auth.ts), so no context but identity
 * ever reads these tables.
 */
export function createAuth(db: PrismaClient, secret: string) {
  return betterAuth({
    secret,
    baseURL: setting("PUBLIC_WEB_URL"),
    database: prismaAdapter(db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    // Requests reach Better Auth only through identity's tRPC router, which already applies our
    // rate limits (identity/limits.ts) and the Origin check (platform/security/csrf.ts).
    rateLimit: { enabled: false },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 200,
      autoSignIn: true,
      password: {
        // Accounts created before Better Auth carry a bcrypt hash; everything new is scrypt.
        verify: ({ hash, password }) =>
          hash.startsWith("$2") ? bcrypt.compare(password, hash) : verifyPassword({ hash, password }),
      },
    },
    user: {
      additionalFields: {
        // Sign-up only ever creates customers: role and shop are not inputs.
        role: { type: "string", required: false, input: false, defaultValue: "CUSTOMER" },
        shopId: { type: "string", required: false, input: false },
        phone: { type: "string", required: true, input: true },
      },
    },
    session: {
      expiresIn: sessionMaxAgeSeconds,
      disableSessionRefresh: true,
      cookieCache: { enabled: true, maxAge: sessionMaxAgeSeconds, strategy: "jwt" },
    },
    advanced: {
      cookiePrefix: sessionCookiePrefix,
      useSecureCookies: secureCookies(),
      // Our ids are UUIDs, made here (other contexts hold user ids as uuid columns).
      database: { generateId: () => randomUUID() },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
  });
}

export type BaedalAuth = ReturnType<typeof createAuth>;

/** A password hashed as Better Auth hashes it (scrypt), for a credential account written directly. */
export const hashCredential = (password: string): Promise<string> => hashPassword(password);
