import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stampPeer } from "../../../src/web/next-peer.mjs";
import { proxyTrpc } from "../../../src/web/proxy.js";
import { TestEnv } from "../harness.js";

/**
 * The Next apps' /trpc proxy (src/web/proxy.ts) tells the API who the caller is. The outside
 * probe (issue 10.3) sent 56 sign-ins through an app, each with another made-up X-Forwarded-For,
 * and met no 429: the proxy passed the header on and the API believes its proxy. Here the app
 * is what serve-next.mjs runs in front of Next — stampPeer on the accepted socket — and, in place
 * of Next, the little it does before a route handler: fill x-forwarded-* when absent
 * (next/dist/server/base-server.js) and build a Request.
 */
async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The app: serve-next.mjs's stamp, Next's header defaults, the /trpc route handler. */
function appHandler(stamp: boolean): http.RequestListener {
  return (req, res) => {
    if (stamp) stampPeer(req);
    req.headers["x-forwarded-host"] ??= req.headers.host;
    req.headers["x-forwarded-proto"] ??= "http";
    req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const body = req.method === "GET" ? undefined : Buffer.concat(chunks);
      void proxyTrpc(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }))
        .then(async (r) => {
          res.writeHead(r.status, Object.fromEntries(r.headers));
          res.end(Buffer.from(await r.arrayBuffer()));
        });
    });
  };
}

const forged = {
  "x-forwarded-for": "203.0.113.9",
  forwarded: "for=203.0.113.10;proto=https",
  "x-real-ip": "203.0.113.11",
  "x-forwarded-proto": "https",
  "x-forwarded-host": "evil.example",
  "x-baedal-peer": "guessed-key http 203.0.113.12",
};

describe("the Next apps' /trpc proxy forwards the real peer, never the caller's own X-Forwarded-For", () => {
  const seen: IncomingHttpHeaders[] = [];
  let api: { server: http.Server; url: string };
  let app: { server: http.Server; url: string };

  beforeAll(async () => {
    // A stand-in API that records what reaches it.
    api = await listen((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ result: { data: null } }));
    });
    app = await listen(appHandler(true));
    process.env.API_URL_CATALOG = api.url;
  });
  afterEach(() => {
    seen.length = 0;
    delete process.env.APP_TRUSTED_PROXIES;
  });
  afterAll(() => {
    delete process.env.API_URL_CATALOG;
    api.server.close();
    app.server.close();
  });

  it("a forged X-Forwarded-For (and Forwarded, X-Real-IP, -Proto, -Host) reaches the API as the peer's address only", async () => {
    const res = await fetch(`${app.url}/trpc/catalog.shops`, { headers: forged });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    const h = seen[0]!;
    expect(h["x-forwarded-for"]).toBe("127.0.0.1");
    expect(h["x-forwarded-proto"]).toBe("http");
    expect(h["x-forwarded-host"]).toBe(new URL(app.url).host);
    for (const k of ["forwarded", "x-real-ip", "x-baedal-peer", "x-forwarded-port"]) expect(h[k], k).toBeUndefined();
    expect(JSON.stringify(h)).not.toContain("203.0.113.");
  });

  it("from a peer in APP_TRUSTED_PROXIES (a load balancer) the chain is kept and the peer appended", async () => {
    process.env.APP_TRUSTED_PROXIES = "loopback";
    await fetch(`${app.url}/trpc/catalog.shops`, { headers: forged });
    const h = seen[0]!;
    expect(h["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
    expect(h["x-forwarded-proto"]).toBe("https");
    expect(h["x-forwarded-host"]).toBe("evil.example");
    expect(h.forwarded).toBeUndefined();
  });

  it("a request the app's server did not stamp (a made-up stamp included) is refused and nothing is forwarded", async () => {
    const bare = await listen(appHandler(false));
    try {
      const res = await fetch(`${bare.url}/trpc/catalog.shops`, { headers: forged });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/serve-next/);
      expect(seen).toEqual([]);
    } finally {
      bare.server.close();
    }
  });
});

describe("per-address sign-in limits hold through the proxy", () => {
  const env = new TestEnv();
  let app: { server: http.Server; url: string };

  beforeAll(async () => {
    await env.setup();
    // TRUSTED_PROXIES stays at its default, loopback: the API believes this proxy.
    await env.start("identity", { env: { RATE_LIMIT_SIGNIN_PER_IP: "5/10m" } });
    process.env.API_URL_IDENTITY = env.urlFor("identity");
    app = await listen(appHandler(true));
  }, 120_000);
  afterAll(async () => {
    delete process.env.API_URL_IDENTITY;
    app?.server.close();
    await env.teardown();
  });

  it("sign-ins with a different forged X-Forwarded-For each time are counted against the one real address (429 after 5)", async () => {
    const signIn = (i: number) =>
      fetch(`${app.url}/trpc/identity.signIn`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "http://localhost:3000",
          "x-forwarded-for": `198.51.100.${i + 1}`,
          forwarded: `for=198.51.100.${i + 1}`,
        },
        body: JSON.stringify({ email: `nobody-${randomUUID()}@example.com`, password: "whatever1" }),
      });
    for (let i = 0; i < 5; i++) expect((await signIn(i)).status).toBe(401);
    const limited = await signIn(5);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe(
      "RATE_LIMITED",
    );
  });
});
