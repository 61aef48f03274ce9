/**
 * Acting through the API from a test (the shop owner, the rider, the admin): real tRPC over HTTP
 * to each context's process, authenticated with a bearer token — either the token identity
 * issues on sign-in, or one signed with this run's AUTH_SECRET for a made-up actor.
 */
import { EventSource } from "eventsource";
import { createBaedalClient, type BaedalClient } from "@baedal/api/client";
import { issueToken, type Actor } from "@baedal/api/testing";
import { stack } from "./stack.js";

export type { Actor, BaedalClient };

/** Every demo account's password (packages/api/src/seed/demo-data.ts). */
export const demoPassword = "baedal1234";
export const demo = {
  customer: "customer@baedal.dev",
  fishOwner: "owner1@baedal.dev",
  chickenOwner: "owner2@baedal.dev",
  rider1: "rider1@baedal.dev",
  rider2: "rider2@baedal.dev",
  admin: "admin@baedal.dev",
} as const;

/** A client that calls every context's process with this token. */
function clientWithToken(token: string): BaedalClient {
  const { api } = stack();
  return createBaedalClient({
    urlFor: (context) => api[context as keyof typeof api],
    headers: () => ({ authorization: `Bearer ${token}` }),
    EventSource: EventSource as unknown as typeof globalThis.EventSource,
  });
}

export interface SignedIn {
  client: BaedalClient;
  token: string;
  user: { id: string; name: string; role: Actor["role"]; shopId: string | null; email: string };
}

const sessions = new Map<string, Promise<SignedIn>>();

/**
 * Signs in through identity (as the web app does, from its origin) and keeps the session token
 * from the cookie. One sign-in per account per test worker: sign-in attempts are rate limited.
 */
export function signIn(email: string, password = demoPassword): Promise<SignedIn> {
  const key = `${email}\n${password}`;
  let session = sessions.get(key);
  if (!session) {
    session = freshSignIn(email, password);
    session.catch(() => sessions.delete(key));
    sessions.set(key, session);
  }
  return session;
}

async function freshSignIn(email: string, password: string): Promise<SignedIn> {
  const res = await fetch(`${stack().api.identity}/trpc/identity.signIn`, {
    method: "POST",
    // The API refuses cookie-less, Authorization-less POSTs without an allowed Origin (CSRF).
    headers: { "content-type": "application/json", origin: stack().webUrl || stack().consoleUrl },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { result?: { data: { user: SignedIn["user"] } }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(body.error)}`);
  // The signed session cookie Better Auth sets is also accepted as a bearer token by every context.
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("baedal.session_data="));
  const token = cookie ? cookie.split(";")[0]!.slice("baedal.session_data=".length) : null;
  if (!token) throw new Error(`sign-in as ${email} set no session cookie`);
  return { client: clientWithToken(token), token, user: body.result.data.user };
}

/** A client for an actor that need not exist in identity (tokens are all the contexts check). */
export async function clientAs(actor: Actor): Promise<BaedalClient> {
  return clientWithToken(await issueToken(stack().authSecret, actor));
}
