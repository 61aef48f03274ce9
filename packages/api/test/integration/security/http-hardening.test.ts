import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsAuth, TestEnv, testMetricsToken } from "../harness.js";
import { bearer, get, post, sessionCookieOf } from "./raw.js";

/**
 * The HTTP layer in front of every procedure (platform/http.ts + platform/security): CSRF gate,
 * security headers, body and batch size limits. Against a real identity process.
 */
describe("API hardening: CSRF, security headers, request size", () => {
  const env = new TestEnv();
  const app = "https://baedal.example";
  let api: string;

  beforeAll(async () => {
    await env.setup();
    const identity = await env.start("identity", {
      env: {
        ALLOWED_ORIGINS: `${app},http://localhost:3000`,
        MAX_BODY_BYTES: "50000",
        MAX_BATCH_SIZE: "10",
      },
    });
    api = identity.url;
  }, 120_000);
  afterAll(async () => {
    if (process.env.DUMP) for (const p of env.processes.values()) console.log(p.name, p.output.join(""));
    await env.teardown();
  });

  const users = async () =>
    (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM identity.users`))[0]!.n;
  const signUpInput = () => ({
    email: `u-${randomUUID()}@example.com`,
    password: "correct horse battery",
    name: "보안검사",
    phone: "010-5555-0000",
  });

  it("/metrics always needs the scraper's bearer token (METRICS_TOKEN, generated per installation)", async () => {
    expect((await fetch(`${api}/metrics`)).status).toBe(401);
    expect((await fetch(`${api}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const almost = `Bearer ${testMetricsToken.slice(0, -1)}`;
    expect((await fetch(`${api}/metrics`, { headers: { authorization: almost } })).status).toBe(401);
    const ok = await fetch(`${api}/metrics`, { headers: metricsAuth });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("# TYPE");
  });

  it("/readyz tells an anonymous caller its status only; the detail needs the metrics token", async () => {
    const anonymous = await fetch(`${api}/readyz`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: "ready" });
    const wrong = await fetch(`${api}/readyz`, { headers: { authorization: "Bearer wrong" } });
    expect(await wrong.json()).toEqual({ status: "ready" });

    const detailed = await fetch(`${api}/readyz`, { headers: metricsAuth });
    expect(detailed.status).toBe(200);
    const body = (await detailed.json()) as { status: string; ok: boolean; detail: Record<string, unknown> };
    expect(body).toMatchObject({ status: "ready", ok: true, detail: { nats: true, identity: { database: true } } });
    expect(body.detail.breakers).toBeDefined();
  });

  it("answers that carry an account are never stored (Cache-Control: no-store)", async () => {
    const input = signUpInput();
    const signedUp = await post(api, "identity.signUp", input, { origin: app });
    expect(signedUp.status).toBe(200);
    expect(signedUp.headers.get("cache-control")).toBe("no-store");
    const cookie = signedUp.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    const me = await get(api, "identity.me", undefined, { cookie });
    expect(me.json.result.data.email).toBe(input.email);
    expect(me.headers.get("cache-control")).toBe("no-store");
    const signedIn = await post(api, "identity.signIn", { email: input.email, password: input.password }, { origin: app });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toBe("no-store");
  });

  it("every response carries the security headers, with a CSP that allows nothing", async () => {
    const responses = [
      await fetch(`${api}/healthz`),
      await fetch(`${api}/nowhere`),
      await fetch(`${api}/trpc/identity.me`),
      await fetch(`${api}/trpc/identity.signOut`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "{}",
      }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 404, 401, 415]);
    for (const r of responses) {
      const csp = r.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
      expect(r.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(r.headers.get("permissions-policy")).toContain("camera=()");
      expect(r.headers.get("x-frame-options")).toBe("DENY");
      // Plain HTTP: HSTS would be meaningless (and wrong on localhost).
      expect(r.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("adds HSTS when a trusted proxy says the request came over HTTPS, not when anyone else says so", async () => {
    const viaProxy = await fetch(`${api}/healthz`, { headers: { "x-forwarded-proto": "https" } });
    expect(viaProxy.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    // An untrusted peer cannot turn it on: a process that trusts no proxy ignores the header.
    const direct = await env.start("identity", { replica: "no-proxy", env: { TRUSTED_PROXIES: "" } });
    const res = await fetch(`${direct.url}/healthz`, { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toBeNull();
    await direct.kill();
  });

  for (const type of [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    null,
  ]) {
    it(`refuses a mutation sent as ${type ?? "no content type"} (415) and runs nothing`, async () => {
      const before = await users();
      const body = type?.startsWith("multipart")
        ? `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.co\r\n--x--\r\n`
        : JSON.stringify(signUpInput());
      const headers: Record<string, string> = { origin: app };
      if (type) headers["content-type"] = type;
      const res = await fetch(`${api}/trpc/identity.signUp`, { method: "POST", headers, body });
      expect(res.status).toBe(415);
      const json = (await res.json()) as { error: { message: string; data: { code: string } } };
      expect(json.error.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(json.error.message).toMatch(/JSON/);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await users()).toBe(before);

      // A mutation without input (signOut) would run from a form body if tRPC saw it.
      const out = await fetch(`${api}/trpc/identity.signOut`, { method: "POST", headers, body: "" });
      expect(out.status).toBe(415);
      expect(out.headers.getSetCookie()).toEqual([]);
    });
  }

  it("refuses a mutation from a foreign Origin (403) and accepts the app's own", async () => {
    const before = await users();
    for (const origin of [
      "https://evil.example",
      "null",
      "https://baedal.example.evil.example",
      "http://baedal.example",
    ]) {
      const res = await post(api, "identity.signUp", signUpInput(), { origin });
      expect(res.status, origin).toBe(403);
      expect(res.json.error.data.code).toBe("FORBIDDEN");
      expect(res.json.error.message).toContain("not allowed");
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect(await users()).toBe(before);

    for (const origin of [app, "http://localhost:3000"]) {
      const ok = await post(api, "identity.signUp", signUpInput(), { origin });
      expect(ok.status, origin).toBe(200);
      const cookies = ok.headers.getSetCookie();
      expect(cookies.find((c) => c.startsWith("baedal.session_token="))).toMatch(/HttpOnly/i);
      expect(cookies.find((c) => c.startsWith("baedal.session_data="))).toMatch(/HttpOnly/i);
      expect(cookies.every((c) => /SameSite=Lax/i.test(c))).toBe(true);
    }
    expect(await users()).toBe(before + 2);
  });

  it("without an Origin header, a mutation may act on an Authorization header but never on the cookie", async () => {
    const actor = env.actor("CUSTOMER");
    const cookie = await sessionCookieOf(actor);
    const auth = await bearer(actor);

    const withCookie = await post(api, "identity.signOut", undefined, cookie);
    expect(withCookie.status).toBe(403);
    expect(withCookie.json.error.message).toMatch(/session cookie/);
    expect(withCookie.headers.getSetCookie()).toEqual([]);

    expect((await post(api, "identity.signOut", undefined, { ...auth, ...cookie })).status).toBe(403);
    expect((await post(api, "identity.signOut", undefined, {})).status).toBe(403);

    const server = await post(api, "identity.signOut", undefined, auth);
    expect(server.status).toBe(200);
    // With the app's Origin the cookie is fine (the browser path through the Next proxy).
    expect((await post(api, "identity.signOut", undefined, { ...cookie, origin: app })).status).toBe(200);
  });

  it("refuses batched mutations the same way, in tRPC's batch shape", async () => {
    const res = await fetch(`${api}/trpc/identity.signOut,identity.signOut?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(403);
    const json = (await res.json()) as { error: { data: { code: string } } }[];
    expect(json.map((j) => j.error.data.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
  });

  it("reads stay GET and open to the cookie; a mutation cannot be sent as GET", async () => {
    const input = signUpInput();
    const signedUp = await post(api, "identity.signUp", input, { origin: app });
    const cookie = signedUp.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    // A query carries no side effect: cookie without Origin, or with any Origin, may read.
    const me = await get(api, "identity.me", undefined, { cookie, origin: "https://evil.example" });
    expect(me.status).toBe(200);
    expect(me.json.result.data.email).toBe(input.email);
    // And no CORS header lets a foreign page read that answer.
    expect(me.headers.get("access-control-allow-origin")).toBeNull();

    const before = await users();
    const viaGet = await get(api, "identity.signUp", signUpInput(), { cookie });
    expect(viaGet.status).toBe(405);
    expect(await users()).toBe(before);
  });

  it("answers an oversized body with 413 and keeps serving", async () => {
    const before = await users();
    const huge = { ...signUpInput(), name: "가".repeat(2_000_000) };
    const res = await post(api, "identity.signUp", huge, { origin: app });
    expect(res.status).toBe(413);
    expect(res.json.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await users()).toBe(before);
    // Just under the limit but invalid: an ordinary 400, not a crash.
    const under = await post(
      api,
      "identity.signUp",
      { ...signUpInput(), name: "x".repeat(40_000) },
      { origin: app },
    );
    expect(under.status).toBe(400);
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect((await post(api, "identity.signUp", signUpInput(), { origin: app })).status).toBe(200);
  });

  it("refuses a batch with more calls than MAX_BATCH_SIZE", async () => {
    const paths = Array.from({ length: 11 }, () => "identity.me").join(",");
    const res = await fetch(`${api}/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Batch call exceeds maximum size/);
    const ten = Array.from({ length: 10 }, () => "identity.me").join(",");
    expect((await fetch(`${api}/trpc/${ten}?batch=1&input=${encodeURIComponent("{}")}`)).status).toBe(401);
  });
});
