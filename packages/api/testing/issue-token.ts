import { randomUUID } from "node:crypto";
import { signJWT } from "better-auth/crypto";
import { sessionMaxAgeSeconds, type Actor } from "../src/platform/auth.js";

/**
 * A session token for an actor, signed exactly as Better Auth signs its session cookie. Only for
 * drivers that act as users without a password — integration tests, E2E set-up, the chaos suite
 * and the benchmark — holding the deployment's AUTH_SECRET. People sign in through identity.
 */
export async function issueToken(
  secret: string,
  actor: Actor,
  ttlSeconds = sessionMaxAgeSeconds,
): Promise<string> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  // A session of its own per token: signing out with one (which revokes its session id
  // everywhere) must not end every other token issued for the same user.
  const sessionId = `service-${randomUUID()}`;
  return signJWT(
    {
      session: {
        id: sessionId,
        userId: actor.userId,
        token: sessionId,
        expiresAt,
        createdAt: now,
        updatedAt: now,
      },
      user: {
        id: actor.userId,
        email: `${actor.userId}@service.baedal.invalid`,
        emailVerified: false,
        name: actor.name,
        role: actor.role,
        shopId: actor.shopId,
        createdAt: now,
        updatedAt: now,
      },
      updatedAt: now.getTime(),
      version: "1",
    },
    secret,
    ttlSeconds,
  );
}
