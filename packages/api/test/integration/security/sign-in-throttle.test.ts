import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEnv } from "../harness.js";
import { post, type RawResponse } from "./raw.js";

/**
 * Password guessing against one account (platform/security/sign-in-throttle.ts), with low budgets
 * from the environment, against a real identity process and the Postgres counters it keeps.
 * Client addresses come through the trusted-proxy X-Forwarded-For path (loopback is trusted).
 * Per account and address: 3 failures per 10 minutes; per account, from addresses it never signed
 * in from: 10 failures per 10 minutes.
 */
describe("sign-in: a guesser is slowed down and cannot lock the owner out", () => {
  const env = new TestEnv();
  const limits = {
    RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP: "3/10m",
    RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: "10/10m",
    RATE_LIMIT_SIGNIN_PER_IP: "1000/10m",
  };
  const origin = { origin: "http://localhost:3000" };
  const password = "the owner's own password";
  let identity: string;

  beforeAll(async () => {
    await env.setup();
    identity = (await env.start("identity", { env: limits })).url;
  }, 120_000);
  afterAll(() => env.teardown());

  /** A sign-in as if from `ip` behind the Next proxy. */
  const signIn = (email: string, pw: string, ip: string, url = identity) =>
    post(url, "identity.signIn", { email, password: pw }, { ...origin, "x-forwarded-for": ip });

  /** A new account (signed up from an address of its own, which sign-in never sees). */
  async function owner(): Promise<string> {
    const email = `owner-${randomUUID()}@example.com`;
    const res = await post(
      identity,
      "identity.signUp",
      { email, password, name: "주인", phone: "010-5555-6666" },
      { ...origin, "x-forwarded-for": "192.0.2.250" },
    );
    expect(res.status).toBe(200);
    return email;
  }

  function expectThrottled(res: RawResponse) {
    expect(res.status).toBe(429);
    expect(res.json.error.data.reason).toBe("RATE_LIMITED");
    expect(res.json.error.message).toMatch(
      /^Too many failed sign-ins .+ Try again in \d+ (seconds|minutes)\.$/,
    );
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(res.headers.getSetCookie()).toEqual([]);
  }

  it("twelve wrong passwords from one address, then the right one from another address signs in at once", async () => {
    const email = await owner();
    for (let i = 0; i < 12; i++)
      expect((await signIn(email, `wrong-${i}`, "198.51.100.1")).status).not.toBe(200);
    const res = await signIn(email, password, "198.51.100.2");
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().length).toBeGreaterThan(0);
  });

  it("the guessing address waits (429, Retry-After) once its budget is spent — even with the right password; others do not", async () => {
    const email = await owner();
    const other = await owner();
    for (let i = 0; i < 3; i++) expect((await signIn(email, `wrong-${i}`, "198.51.100.10")).status).toBe(401);
    expectThrottled(await signIn(email, password, "198.51.100.10"));
    // Case and spacing do not make it another account.
    expectThrottled(await signIn(`  ${email.toUpperCase()} `, password, "198.51.100.10"));
    // The same address is not held back for another account, nor another address for this one.
    expect((await signIn(other, password, "198.51.100.10")).status).toBe(200);
    expect((await signIn(email, password, "198.51.100.11")).status).toBe(200);
  });

  it("a successful sign-in clears that address's failures", async () => {
    const email = await owner();
    const ip = "198.51.100.20";
    for (let i = 0; i < 2; i++) expect((await signIn(email, `typo-${i}`, ip)).status).toBe(401);
    expect((await signIn(email, password, ip)).status).toBe(200);
    // A full budget again: three more failures are checked (401), only the fourth waits.
    for (let i = 0; i < 3; i++) expect((await signIn(email, `typo-again-${i}`, ip)).status).toBe(401);
    expectThrottled(await signIn(email, password, ip));
  });

  it("many addresses each failing a little do not stop the owner at an address they signed in from", async () => {
    const email = await owner();
    const home = "198.51.100.30";
    expect((await signIn(email, password, home)).status).toBe(200);
    // 8 addresses × 2 failures: within each address's budget, over the account's ceiling (10).
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, a) =>
        Promise.all([0, 1].map((i) => signIn(email, `guess-${a}-${i}`, `203.0.113.${a + 1}`))),
      ),
    );
    const statuses = attempts.flat().map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses).toContain(429);
    // The owner, at home, signs in at once.
    const res = await signIn(email, password, home);
    expect(res.status).toBe(200);
    // And a typo there is still only a typo (401), held by that address's own budget.
    expect((await signIn(email, "a typo", home)).status).toBe(401);
  });

  it("the ceiling bounds a distributed guess: at most 10 password checks per window from new addresses", async () => {
    const email = await owner();
    const home = "198.51.100.40";
    expect((await signIn(email, password, home)).status).toBe(200);
    // 30 addresses × 2 guesses, all at once: every guess is within its address's budget.
    const attempts = (
      await Promise.all(
        Array.from({ length: 30 }, (_, a) =>
          Promise.all([0, 1].map((i) => signIn(email, `guess-${a}-${i}`, `100.64.${a}.${i + 1}`))),
        ),
      )
    ).flat();
    // A 401 is a password that was checked; everything else was refused before any check.
    const checked = attempts.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(10);
    for (const r of attempts.filter((r) => r.status !== 401)) expectThrottled(r);
    // Even the right password from yet another new address is not checked now.
    expectThrottled(await signIn(email, password, "100.64.200.1"));
    // A known address is bounded by its own budget: 3 checks, then it waits too.
    for (let i = 0; i < 3; i++) expect((await signIn(email, `guess-home-${i}`, home)).status).toBe(401);
    expectThrottled(await signIn(email, `guess-home-3`, home));
  });

  it("IPv6 addresses count per /64: hopping within one block buys no new budget", async () => {
    const email = await owner();
    for (let i = 1; i <= 3; i++)
      expect((await signIn(email, `wrong-${i}`, `2001:db8:1:2::${i.toString(16)}`)).status).toBe(401);
    expectThrottled(await signIn(email, password, "2001:db8:1:2:ffff::9"));
    expect((await signIn(email, password, "2001:db8:1:3::1")).status).toBe(200);
  });

  it("replicas share the counters (Postgres in identity's schema), which name no email address", async () => {
    const replica = await env.start("identity", { replica: "b", env: limits });
    const email = await owner();
    for (let i = 0; i < 3; i++) expect((await signIn(email, `nope-${i}`, "192.0.2.60")).status).toBe(401);
    expectThrottled(await signIn(email, password, "192.0.2.60", replica.url));
    const rows = await env.query<{ key: string }>(`SELECT key FROM identity.rate_limits`);
    expect(rows.some((r) => r.key.startsWith("identity:signin-fail-pair:"))).toBe(true);
    const throttle = rows.filter((r) => r.key.startsWith("identity:signin-"));
    expect(throttle.some((r) => r.key.includes("@") || r.key.includes("192.0.2.60"))).toBe(false);
    await replica.kill();
  }, 120_000); // starts a process: up to 60 s to come up on a busy machine
});
