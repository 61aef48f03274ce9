import { afterEach, describe, expect, it } from "vitest";
import type { LookupAddress } from "node:dns";
import {
  isPublicAddress,
  publicOnlyLookup,
  refusedOnRegistration,
  refusedTarget,
  TargetRefused,
} from "../../../src/notification/adapters/webhook-target.js";

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
      "192.0.2.1", // documentation
      "198.18.0.1", // benchmarking
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fd00::1",
      "fe80::1",
      "ff02::1",
      "2001:db8::1", // documentation
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
    ])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ["8.8.8.8", "203.0.114.5", "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isPublicAddress(a), a).toBe(true);
    expect(isPublicAddress("not-an-ip")).toBe(false);
  });

  it("every form that carries an IPv4 address is judged by it or refused, and site-local is not public", () => {
    for (const a of [
      // IPv4-compatible ::a.b.c.d (deprecated), as a URL writes it too
      "::127.0.0.1",
      "::7f00:1",
      "::169.254.169.254",
      "::a9fe:a9fe",
      "::8.8.8.8",
      // IPv4-mapped in hex, and the SIIT form ::ffff:0:a.b.c.d
      "::ffff:7f00:1",
      "::ffff:0:127.0.0.1",
      // NAT64 well-known prefix carrying a private address
      "64:ff9b::127.0.0.1",
      "64:ff9b::169.254.169.254",
      "64:ff9b::a00:1",
      // local-use NAT64 prefix (RFC 8215): network-specific, never a public target
      "64:ff9b:1::a9fe:a9fe",
      "64:ff9b:1::808:808",
      // 6to4: a relay reaches the IPv4 address in bits 16-48
      "2002:7f00:1::1",
      "2002:a9fe:a9fe::1",
      "2002:808:808::1",
      // Teredo: carries the server's and (obfuscated) the client's IPv4 address
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "2001::1",
      // site-local (deprecated), unique local
      "fec0::1",
      "feff::1",
      "fc00::1",
    ])
      expect(isPublicAddress(a), a).toBe(false);
    // The well-known NAT64 prefix reaches the public IPv4 address it carries (DNS64 networks).
    expect(isPublicAddress("64:ff9b::8.8.8.8")).toBe(true);
  });

  it("refuses private literals, embedded-IPv4 literals and local names; public names pass (judged when connecting)", () => {
    for (const u of [
      "http://127.0.0.1:4222/",
      "http://[::1]/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[::127.0.0.1]:4222/",
      "http://[::169.254.169.254]/latest/meta-data",
      "http://[::ffff:169.254.169.254]/",
      "http://[64:ff9b::169.254.169.254]/",
      "http://[64:ff9b:1::a9fe:a9fe]/",
      "http://[2002:a9fe:a9fe::1]/",
      "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
      "http://[fec0::1]/",
      "http://0x7f.1/", // the URL parser makes it 127.0.0.1
      "http://localhost:3000/",
      "http://db.internal/",
      "http://postgres/",
      "https://10.0.0.7/hook",
    ])
      expect(refusedTarget(u), u).not.toBeNull();
    for (const u of [
      "https://hooks.example.com/baedal",
      "https://203.0.114.5/hook",
      "https://[2606:4700::1111]/",
    ])
      expect(refusedTarget(u), u).toBeNull();
  });

  it("WEBHOOK_ALLOW_PRIVATE=1 (local development, tests) lifts the guard", () => {
    process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    expect(refusedTarget("http://127.0.0.1:9/hook")).toBeNull();
  });
});

describe("publicOnlyLookup: the address connected to is the address judged", () => {
  /** A resolver answering `addresses` for every name. */
  const answering =
    (...addresses: string[]) =>
    (_h: string, _o: unknown, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) =>
      cb(
        null,
        addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
      );
  const lookupWith = (
    resolver: ReturnType<typeof answering>,
    all: boolean,
  ): Promise<{ err: Error | null; address: unknown; family?: number }> =>
    new Promise((resolve) =>
      publicOnlyLookup(resolver)("hooks.example.com", { all }, (err, address, family) =>
        resolve({ err, address, family }),
      ),
    );

  it("hands node the public addresses, in the form it asked for", async () => {
    expect(await lookupWith(answering("8.8.8.8"), false)).toEqual({
      err: null,
      address: "8.8.8.8",
      family: 4,
    });
    const all = await lookupWith(answering("8.8.8.8", "2606:4700::1111"), true);
    expect(all.err).toBeNull();
    expect(all.address).toEqual([
      { address: "8.8.8.8", family: 4 },
      { address: "2606:4700::1111", family: 6 },
    ]);
  });

  it("refuses the connection when any address is private or carries one", async () => {
    for (const addresses of [
      ["127.0.0.1"],
      ["8.8.8.8", "10.0.0.1"],
      ["::169.254.169.254"],
      ["2002:7f00:1::1"],
    ]) {
      for (const all of [false, true]) {
        const { err } = await lookupWith(answering(...addresses), all);
        expect(err, addresses.join()).toBeInstanceOf(TargetRefused);
        expect(err!.message).toMatch(/^webhook target refused: hooks\.example\.com resolves to /);
      }
    }
  });

  it("passes a resolver's own failure through unchanged (a retryable delivery failure)", async () => {
    const failure = Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    const { err } = await lookupWith((_h, _o, cb) => cb(failure, []), false);
    expect(err).toBe(failure);
  });

  it("registration refuses a private literal at once and lets an unresolvable name through", async () => {
    expect(await refusedOnRegistration("http://[::127.0.0.1]/")).toMatch(/not a public one/);
    expect(await refusedOnRegistration("https://no-such-host.invalid/hook", 5_000)).toBeNull();
  });
});
