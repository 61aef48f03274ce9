import { afterEach, describe, expect, it } from "vitest";
import { isPublicAddress, refusedTarget } from "../../../src/notification/adapters/webhook-target.js";

describe("webhook targets: only public addresses", () => {
  afterEach(() => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
  });

  it("private, loopback, link-local and reserved addresses are not public", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
    ])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ["8.8.8.8", "203.0.114.5", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
      expect(isPublicAddress(a), a).toBe(true);
    expect(isPublicAddress("not-an-ip")).toBe(false);
  });

  it("refuses private literals and local names on registration; public names pass (resolved when sending)", () => {
    for (const u of [
      "http://127.0.0.1:4222/",
      "http://[::1]/x",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost:3000/",
      "http://db.internal/",
      "http://postgres/",
      "https://10.0.0.7/hook",
    ])
      expect(refusedTarget(u), u).not.toBeNull();
    for (const u of ["https://hooks.example.com/baedal", "https://203.0.114.5/hook"])
      expect(refusedTarget(u), u).toBeNull();
  });

  it("WEBHOOK_ALLOW_PRIVATE=1 (local development, tests) lifts the guard", () => {
    process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    expect(refusedTarget("http://127.0.0.1:9/hook")).toBeNull();
  });
});
