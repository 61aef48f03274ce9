import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, demoId, seedDemo } from "../../src/seed/demo-data.js";
import { TestEnv, waitFor } from "./harness.js";
import { get, post, type RawResponse } from "./security/raw.js";

/**
 * Accounts and sessions through Better Auth, against a real identity process: what is stored
 * (no password but a scrypt hash in accounts), the cookies the browser gets, the session every
 * context reads from them, and sign-out.
 */
describe("identity: sign-up, sign-in and sessions (Better Auth)", () => {
  const env = new TestEnv();
  const app = "https://baedal.example";
  let api: string;

  beforeAll(async () => {
    await env.setup();
    api = (await env.start("identity", { env: { ALLOWED_ORIGINS: app } })).url;
    await seedDemo(env.databaseUrl, env.ns);
  }, 120_000);
  afterAll(() => env.teardown());

  const mutate = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    post(api, path, body, { origin: app, ...headers });
  /** The Cookie header a browser sends back after this response. */
  const cookieOf = (res: RawResponse) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
  const signUpInput = () => ({
    email: `New-${randomUUID()}@Example.com`,
    password: "correct horse battery",
    name: "김고객",
    phone: "010-1234-5678",
  });

  it("sign-up makes a customer, stores only a scrypt hash, and starts a session in httpOnly cookies", async () => {
    const input = signUpInput();
    const res = await mutate("identity.signUp", input);
    expect(res.status).toBe(200);
    expect(res.json.result.data.user).toMatchObject({
      email: input.email.toLowerCase(),
      role: "CUSTOMER",
      shopId: null,
    });
    expect(JSON.stringify(res.json)).not.toContain(input.password);

    const cookies = res.headers.getSetCookie();
    expect(cookies.map((c) => c.split("=")[0]).sort()).toEqual([
      "baedal.session_data",
      "baedal.session_token",
    ]);
    for (const c of cookies) {
      expect(c).toMatch(/HttpOnly/i);
      expect(c).toMatch(/SameSite=Lax/i);
    }

    const [account] = await env.query<{ password: string; provider_id: string }>(
      `SELECT a.password, a.provider_id FROM identity.accounts a JOIN identity.users u ON u.id = a.user_id WHERE u.email = $1`,
      [input.email.toLowerCase()],
    );
    expect(account!.provider_id).toBe("credential");
    expect(account!.password).not.toContain(input.password);
    expect(account!.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/); // Better Auth's salt:scrypt-key
    const columns = await env.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'identity' AND table_name = 'users'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain("password_hash");

    const me = await get(api, "identity.me", undefined, { cookie: cookieOf(res) });
    expect(me.json.result.data.email).toBe(input.email.toLowerCase());
  });

  it("a role or shop in the sign-up input is refused and nothing is stored; a taken email is a conflict", async () => {
    const count = async () =>
      (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM identity.users`))[0]!.n;
    const before = await count();
    for (const extra of [{ role: "ADMIN" }, { shopId: randomUUID() }]) {
      const res = await mutate("identity.signUp", { ...signUpInput(), ...extra });
      expect(res.status).toBe(400);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect(await count()).toBe(before);

    const input = signUpInput();
    expect((await mutate("identity.signUp", input)).status).toBe(200);
    const again = await mutate("identity.signUp", { ...input, email: input.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.json.error.data.reason).toBe("EMAIL_TAKEN");
    expect(await count()).toBe(before + 1);
  });

  it("wrong password and unknown email get the same answer; the right one signs in", async () => {
    const input = signUpInput();
    await mutate("identity.signUp", input);
    const wrong = await mutate("identity.signIn", { email: input.email, password: "not the password" });
    const unknown = await mutate("identity.signIn", {
      email: `nobody-${randomUUID()}@x.dev`,
      password: "whatever1",
    });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.json.error.message).toBe("Email or password is incorrect");
      expect(r.headers.getSetCookie()).toEqual([]);
    }
    const ok = await mutate("identity.signIn", {
      email: `  ${input.email.toUpperCase()} `,
      password: input.password,
    });
    expect(ok.status).toBe(200);
    expect((await get(api, "identity.me", undefined, { cookie: cookieOf(ok) })).status).toBe(200);
  });

  it("demo shop owners sign in with the demo password; their session carries the shop", async () => {
    const res = await mutate("identity.signIn", { email: "owner1@baedal.dev", password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.json.result.data.user).toMatchObject({ role: "SHOP_OWNER", shopId: demoId("shop:bada-hoe") });
    // The session cookie is what every context reads the actor from: the bearer form of it too.
    const data = res.headers.getSetCookie().find((c) => c.startsWith("baedal.session_data="))!;
    const token = data.split(";")[0]!.slice("baedal.session_data=".length);
    const me = await get(api, "identity.me", undefined, { authorization: `Bearer ${token}` });
    expect(me.json.result.data).toMatchObject({ email: "owner1@baedal.dev", role: "SHOP_OWNER" });
  });

  it("an account from before Better Auth (a bcrypt hash) still signs in", async () => {
    const id = randomUUID();
    const email = `legacy-${id}@baedal.dev`;
    await env.query(
      `INSERT INTO identity.users (id, email, name, role, phone) VALUES ($1, $2, '옛고객', 'CUSTOMER', '010')`,
      [id, email],
    );
    await env.query(
      `INSERT INTO identity.accounts (id, account_id, provider_id, user_id, password) VALUES ($1, $2::text, 'credential', $2::uuid, $3)`,
      [randomUUID(), id, await bcrypt.hash("old-password-1", 4)],
    );
    expect((await mutate("identity.signIn", { email, password: "old-password-1" })).status).toBe(200);
    expect((await mutate("identity.signIn", { email, password: "old-password-2" })).status).toBe(401);
  });

  it("sign-out deletes the session and clears both cookies", async () => {
    const input = signUpInput();
    const signedUp = await mutate("identity.signUp", input);
    const sessions = async () =>
      (
        await env.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM identity.sessions s JOIN identity.users u ON u.id = s.user_id WHERE u.email = $1`,
          [input.email.toLowerCase()],
        )
      )[0]!.n;
    expect(await sessions()).toBe(1);
    const out = await mutate("identity.signOut", undefined, { cookie: cookieOf(signedUp) });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie();
    for (const name of ["baedal.session_token", "baedal.session_data"])
      expect(cleared.find((c) => c.startsWith(`${name}=`))).toMatch(/Max-Age=0/);
    expect(await sessions()).toBe(0);
    // Signing out without a session is harmless.
    expect((await mutate("identity.signOut", undefined)).status).toBe(200);
  });

  it("a copy of a signed-out session's cookie stops working in every context, also in one started later", async () => {
    const notification = (await env.start("notification")).url;
    const signedUp = await mutate("identity.signUp", signUpInput());
    const copied = cookieOf(signedUp); // e.g. lifted off a shared computer before signing out
    const asCopy = (url: string, path: string) =>
      get(url, path, path === "notification.list" ? {} : undefined, { cookie: copied });
    expect((await asCopy(notification, "notification.list")).status).toBe(200);
    expect((await asCopy(api, "identity.me")).status).toBe(200);

    expect((await mutate("identity.signOut", undefined, { cookie: copied })).status).toBe(200);
    // The signature and expiry still verify; the sign-out reaches the other process over NATS.
    await waitFor(
      "notification to refuse the copy",
      async () => (await asCopy(notification, "notification.list")).status === 401,
    );
    expect((await asCopy(api, "identity.me")).status).toBe(401);
    // A process started later has loaded the sign-outs before it takes its first request.
    const later = await env.start("notification", { replica: "later" });
    expect((await asCopy(later.url, "notification.list")).status).toBe(401);
    // Another session of the same user is untouched.
    const again = await mutate("identity.signIn", {
      email: (signedUp.json.result.data.user as { email: string }).email,
      password: "correct horse battery",
    });
    expect((await get(notification, "notification.list", {}, { cookie: cookieOf(again) })).status).toBe(200);
    await later.kill();
  }, 120_000);
});
