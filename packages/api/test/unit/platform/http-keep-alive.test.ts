import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer } from "../../../src/platform/http.js";
import { router } from "../../../src/platform/trpc.js";

/**
 * The server keeps an idle keep-alive connection longer than clients do, so a client never sends
 * a request on a connection the server is closing at that moment (ECONNRESET / "socket hang up"
 * on a POST, which no client retries). Node's default was 5 s, the same as its own agent's.
 */
describe("HTTP keep-alive", () => {
  let server: http.Server;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  beforeAll(async () => {
    server = createHttpServer({
      router: router({}),
      authSecret: "s".repeat(40),
      metricsToken: "m".repeat(40),
      isRevoked: () => false,
      ready: async () => ({ ok: true, detail: {} }),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = () =>
    new Promise<{ keepAlive: string | undefined; reused: boolean }>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent }, (res) => {
        res.resume();
        const keepAlive = res.headers["keep-alive"];
        res.on("end", () => resolve({ keepAlive: Array.isArray(keepAlive) ? keepAlive.join() : keepAlive, reused: req.reusedSocket }));
      });
      req.on("error", reject);
    });

  it("announces a long keep-alive, and a connection idle past Node's old 5 s is still reused", async () => {
    const first = await get();
    expect(first.keepAlive).toBe("timeout=65");
    await new Promise((r) => setTimeout(r, 6_000));
    const second = await get();
    expect(second.reused).toBe(true);
  }, 30_000);
});
