import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientIp } from "../../../src/platform/security/client-ip.js";
import { loadSecurityConfig } from "../../../src/platform/security/config.js";
import { csrfRefusal } from "../../../src/platform/security/csrf.js";
import { parseBudget } from "../../../src/platform/security/rate-limit.js";

/** The request policies on their own (no process): the parts of them the HTTP suites do not reach. */
const request = (method: string, headers: Record<string, string>, peer = "127.0.0.1") =>
  ({ method, headers, socket: { remoteAddress: peer } }) as unknown as IncomingMessage;
const json = { "content-type": "application/json" };

describe("CSRF policy without ALLOWED_ORIGINS (development)", () => {
  const dev = loadSecurityConfig({} as NodeJS.ProcessEnv).allowedOrigins;

  it("accepts the apps on any loopback port, nothing else", () => {
    for (const origin of [
      "http://localhost:3000",
      "http://127.0.0.1:41234",
      "http://[::1]:3001",
      "https://localhost",
    ]) {
      expect(csrfRefusal(request("POST", { ...json, origin }), dev), origin).toBeNull();
    }
    for (const origin of [
      "http://localhost.evil.example",
      "http://127.0.0.2:3000",
      "https://baedal.example",
      "null",
      "file://",
    ]) {
      expect(csrfRefusal(request("POST", { ...json, origin }), dev)?.status, origin).toBe(403);
    }
  });

  it("takes a JSON type with parameters, refuses look-alikes", () => {
    const origin = "http://localhost:3000";
    expect(
      csrfRefusal(request("POST", { "content-type": "application/json; charset=utf-8", origin }), dev),
    ).toBeNull();
    expect(csrfRefusal(request("POST", { "content-type": "Application/JSON", origin }), dev)).toBeNull();
    for (const type of [
      "application/jsonp",
      "text/json",
      "application/json-patch+json",
      "application/octet-stream",
    ]) {
      expect(csrfRefusal(request("POST", { "content-type": type, origin }), dev)?.status, type).toBe(415);
    }
  });

  it("lets reads through whatever they carry", () => {
    expect(
      csrfRefusal(request("GET", { origin: "https://evil.example", cookie: "baedal.session_data=x" }), dev),
    ).toBeNull();
  });
});

describe("client IP behind proxies", () => {
  const proxies = loadSecurityConfig({
    TRUSTED_PROXIES: "loopback,10.0.0.0/8",
  } as NodeJS.ProcessEnv).trustedProxies;

  it("believes X-Forwarded-For only from a trusted peer, read from the right", () => {
    // Browser → load balancer (10.1.2.3) → Next proxy (127.0.0.1) → API.
    expect(clientIp(request("POST", { "x-forwarded-for": "198.51.100.4, 10.1.2.3" }), proxies)).toBe(
      "198.51.100.4",
    );
    // A made-up entry on the left does not help the client: the rightmost untrusted one counts.
    expect(clientIp(request("POST", { "x-forwarded-for": "1.1.1.1, 198.51.100.4" }), proxies)).toBe(
      "198.51.100.4",
    );
    // From an untrusted peer the header is ignored.
    expect(clientIp(request("POST", { "x-forwarded-for": "1.1.1.1" }, "203.0.113.9"), proxies)).toBe(
      "203.0.113.9",
    );
    // Garbage stops the walk at the last address we could vouch for.
    expect(clientIp(request("POST", { "x-forwarded-for": "not-an-ip" }), proxies)).toBe("127.0.0.1");
    expect(clientIp(request("POST", {}, "::ffff:127.0.0.1"), proxies)).toBe("::ffff:127.0.0.1");
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address", () => {
    expect(() => loadSecurityConfig({ TRUSTED_PROXIES: "10.0.0.0/33" } as NodeJS.ProcessEnv)).toThrow(
      /prefix/,
    );
    expect(() => loadSecurityConfig({ TRUSTED_PROXIES: "proxy.internal" } as NodeJS.ProcessEnv)).toThrow(
      /not an IP/,
    );
  });
});

describe("rate limit budgets from the environment", () => {
  it("reads count/window and refuses anything else with the variable's name", () => {
    expect(parseBudget("X", "10/15m")).toEqual({ points: 10, seconds: 900 });
    expect(parseBudget("X", "3/10s")).toEqual({ points: 3, seconds: 10 });
    expect(parseBudget("X", "100/1h")).toEqual({ points: 100, seconds: 3600 });
    for (const bad of ["10", "ten/1m", "0/1m", "10/0m", "10/15d", "-1/1m"]) {
      expect(() => parseBudget("RATE_LIMIT_X", bad), bad).toThrow(/RATE_LIMIT_X must look like 10\/15m/);
    }
  });
});
