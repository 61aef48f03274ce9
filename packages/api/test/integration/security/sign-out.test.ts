import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEnv, waitFor } from "../harness.js";
import { get, post, type RawResponse } from "./raw.js";

/**
 * Sign-out ends the session whichever credential it is sent with — only the session-token
 * cookie, only the signed session-data cookie, only the Bearer form of it, or both cookies — and
 * a copy of every credential of that session (lifted before the sign-out) stops working in
 * identity and in another context's process.
 */
describe("sign-out revokes the session whichever credential it comes with", () => {
  const env = new TestEnv();
  const app = "https://baedal.example";
  let identity: string;
  let notification: string;

  beforeAll(async () => {
    await env.setup();
    [identity, notification] = (
      await Promise.all([
        env.start("identity", { env: { ALLOWED_ORIGINS: app } }),
        env.start("notification", { env: { ALLOWED_ORIGINS: app } }),
      ])
    ).map((p) => p.url) as [string, string];
  }, 120_000);
  afterAll(() => env.teardown());

  /** A fresh account's session: its two cookies as a browser holds them. */
  async function newSession(): Promise<{ token: string; data: string; email: string }> {
    const email = `out-${randomUUID()}@example.com`;
    const res = await post(
      identity,
      "identity.signUp",
      { email, password: "correct horse battery", name: "나가기", phone: "010-2222-3333" },
      { origin: app },
    );
    expect(res.status).toBe(200);
    const cookie = (name: string) =>
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith(`baedal.${name}=`))!
        .split(";")[0]!;
    return { token: cookie("session_token"), data: cookie("session_data"), email };
  }

  /** Every way a copied credential can be presented, to identity and to notification. */
  function asCopy(s: { token: string; data: string }) {
    const bearer = `Bearer ${s.data.slice("baedal.session_data=".length)}`;
    const forms: Record<string, Record<string, string>> = {
      "both cookies": { cookie: `${s.token}; ${s.data}` },
      "session-data cookie": { cookie: s.data },
      bearer: { authorization: bearer },
    };
    return Promise.all(
      Object.entries(forms).flatMap(([form, headers]) => [
        get(identity, "identity.me", undefined, headers).then(
          (r) => [`identity, ${form}`, r.status] as const,
        ),
        get(notification, "notification.list", {}, headers).then(
          (r) => [`notification, ${form}`, r.status] as const,
        ),
      ]),
    ).then((all) => Object.fromEntries(all));
  }
  const everywhere = (status: number) => ({
    "identity, both cookies": status,
    "identity, session-data cookie": status,
    "identity, bearer": status,
    "notification, both cookies": status,
    "notification, session-data cookie": status,
    "notification, bearer": status,
  });

  const sessionRows = async (email: string) =>
    (
      await env.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM identity.sessions s JOIN identity.users u ON u.id = s.user_id WHERE u.email = $1`,
        [email],
      )
    )[0]!.n;

  const signOutWith: Record<string, (s: { token: string; data: string }) => Record<string, string>> = {
    "only the session-token cookie": (s) => ({ origin: app, cookie: s.token }),
    "only the session-data cookie": (s) => ({ origin: app, cookie: s.data }),
    "only the Bearer token": (s) => ({
      authorization: `Bearer ${s.data.slice("baedal.session_data=".length)}`,
    }),
    "both cookies": (s) => ({ origin: app, cookie: `${s.token}; ${s.data}` }),
  };

  it.each(Object.keys(signOutWith))(
    "signed out with %s: every copy stops working everywhere",
    async (how) => {
      const session = await newSession();
      expect(await asCopy(session)).toEqual(everywhere(200));
      expect(await sessionRows(session.email)).toBe(1);

      const out: RawResponse = await post(
        identity,
        "identity.signOut",
        undefined,
        signOutWith[how]!(session),
      );
      expect(out.status).toBe(200);

      // identity recorded the sign-out itself; notification learns it over NATS.
      await waitFor("every copy to be refused", async () =>
        isDeepStrictEqual(await asCopy(session), everywhere(401)),
      ).catch(() => undefined); // the assertion below shows which copy still works
      expect(await asCopy(session)).toEqual(everywhere(401));
      expect(await sessionRows(session.email)).toBe(0);
    },
    60_000,
  );

  it("a sign-out with someone else's session-token cookie that does not verify ends nothing", async () => {
    const session = await newSession();
    const forged = `baedal.session_token=${randomUUID()}.not-a-signature`;
    expect(
      (await post(identity, "identity.signOut", undefined, { origin: app, cookie: forged })).status,
    ).toBe(200);
    expect(await asCopy(session)).toEqual(everywhere(200));
    expect(await sessionRows(session.email)).toBe(1);
  });
});
