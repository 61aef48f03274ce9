import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEnv } from "../harness.js";
import { orderInput, seedAndSync, warmUpCheckout } from "../fixtures.js";
import { bearer, post, type RawResponse } from "./raw.js";
import { startContexts } from "./suite-setup.js";

/**
 * Rate limits on identity.signIn and signUp (per client address) and order.place (per customer),
 * with low budgets from the environment, against real processes and the Postgres counters they
 * share. Failed sign-ins per account: sign-in-throttle.test.ts.
 */
describe("rate limits: sign-in and placing orders", () => {
  const env = new TestEnv();
  const limits = {
    RATE_LIMIT_SIGNIN_PER_IP: "5/10m",
    RATE_LIMIT_SIGNUP_PER_IP: "2/10m",
    RATE_LIMIT_ORDER_PER_CUSTOMER: "2/10m",
  };
  let identity: string;
  let order: string;
  // Mutations from a server-side client: no Origin, a bearer token (see csrf.ts).
  const origin = { origin: "http://localhost:3000" };

  beforeAll(async () => {
    await env.setup();
    await startContexts(env, ["identity", "order", "catalog", "payment"], limits);
    identity = env.urlFor("identity");
    order = env.urlFor("order");
    await seedAndSync(env);
  }, 180_000);

  /** Warm-up orders count against their customer's budget: each test uses fresh customers. */
  beforeAll(() => warmUpCheckout(env), 120_000);
  afterAll(() => env.teardown());

  /** A sign-in as if from `ip` behind the Next proxy (loopback is a trusted proxy by default). */
  const signIn = (email: string, password: string, ip: string, url = identity) =>
    post(url, "identity.signIn", { email, password }, { ...origin, "x-forwarded-for": ip });

  function expectLimited(res: RawResponse, windowSeconds: number) {
    expect(res.status).toBe(429);
    expect(res.json.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(res.json.error.data.reason).toBe("RATE_LIMITED");
    expect(res.json.error.message).toMatch(/^Too many .+ Try again in \d+ (seconds|minutes)\.$/);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  }

  it("sign-up per IP: the 3rd new account from one address is refused and not created; another address is not", async () => {
    const signUp = (ip: string) =>
      post(
        identity,
        "identity.signUp",
        {
          email: `new-${randomUUID()}@example.com`,
          password: "long enough 1",
          name: "새고객",
          phone: "010-1111-2222",
        },
        { ...origin, "x-forwarded-for": ip },
      );
    const users = async () =>
      (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM identity.users`))[0]!.n;
    const before = await users();
    expect((await signUp("198.51.100.77")).status).toBe(200);
    expect((await signUp("198.51.100.77")).status).toBe(200);
    const limited = await signUp("198.51.100.77");
    expectLimited(limited, 600);
    expect(limited.headers.getSetCookie()).toEqual([]);
    expect(await users()).toBe(before + 2);
    expect((await signUp("198.51.100.78")).status).toBe(200);
  });

  it("per IP: trying many accounts from one address is refused after 5 attempts; another address is not", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < 5; i++) {
      expect((await signIn(`nobody-${randomUUID()}@example.com`, "whatever1", ip)).status).toBe(401);
    }
    expectLimited(await signIn("owner2@baedal.dev", "baedal1234", ip), 600);
    expect((await signIn("owner2@baedal.dev", "baedal1234", "203.0.113.8")).status).toBe(200);
  });

  it("X-Forwarded-For counts only from a trusted proxy: a client cannot spread its attempts over made-up addresses", async () => {
    const direct = await env.start("identity", {
      replica: "direct",
      env: { ...limits, TRUSTED_PROXIES: "" },
    });
    for (let i = 0; i < 5; i++) {
      const res = await signIn(`x-${randomUUID()}@example.com`, "whatever1", `100.64.0.${i + 1}`, direct.url);
      expect(res.status).toBe(401);
    }
    // All five counted against the real peer (127.0.0.1), whatever the header said.
    expectLimited(await signIn(`x-${randomUUID()}@example.com`, "whatever1", "100.64.0.99", direct.url), 600);
    await direct.kill();
  }, 120_000);

  it("order.place: the 3rd order within the window is refused with 429 and nothing is charged or stored", async () => {
    const customer = env.actor("CUSTOMER");
    const auth = await bearer(customer);
    const place = () => post(order, "order.place", orderInput(`k-${randomUUID()}`), auth);
    expect((await place()).status).toBe(200);
    expect((await place()).status).toBe(200);
    const count = async () => ({
      orders: (await env.query(`SELECT 1 FROM ordering.orders WHERE customer_id = $1`, [customer.userId]))
        .length,
      payments: (await env.query(`SELECT 1 FROM payment.payments`)).length,
    });
    const before = await count();
    const limited = await place();
    expectLimited(limited, 600);
    expect(limited.json.error.message).toMatch(/^Too many orders/);
    expect(await count()).toEqual(before);
    expect(before.orders).toBe(2);

    // Another customer has a budget of their own.
    const other = await bearer(env.actor("CUSTOMER"));
    expect((await post(order, "order.place", orderInput(`k-${randomUUID()}`), other)).status).toBe(200);
  }, 60_000);

  it("invalid input is refused before it costs an attempt", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 8; i++) {
      const res = await post(
        identity,
        "identity.signIn",
        { email: "not-an-email", password: "x" },
        { ...origin, "x-forwarded-for": ip },
      );
      expect(res.status).toBe(400);
    }
    expect((await signIn("owner4@baedal.dev", "baedal1234", ip)).status).toBe(200);
  });
});
