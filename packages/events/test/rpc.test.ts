/**
 * RpcClient and serveRpc against the real NATS: the caller's deadline reaches the server, a
 * request nobody could take is known never to have been delivered, and an open breaker refuses
 * calls here until its trial is due.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { headers } from "@nats-io/transport-node";
import { connectMessaging, rpcSubject, type Messaging } from "../src/nats.js";
import { RemoteTimeoutError, RemoteUnavailableError, RpcClient, serveRpc, type RpcCall } from "../src/rpc.js";

const url = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const contract = {
  echo: { input: z.object({ n: z.number(), waitMs: z.number() }), output: z.object({ n: z.number() }) },
};

describe("rpc", () => {
  let m: Messaging;
  beforeAll(async () => {
    m = await connectMessaging({ url, ns: `t${randomBytes(4).toString("hex")}`, name: "rpc-test" });
  });
  afterAll(async () => {
    await m.nc.close();
  });

  it("the server learns when the caller stops waiting", async () => {
    const seen: RpcCall[] = [];
    const subs = serveRpc(m, "deadline", contract, {
      echo: async (input, call) => {
        seen.push(call);
        return { ok: true, data: { n: input.n } };
      },
    });
    const client = new RpcClient(m, "deadline", contract, { timeoutMs: 3_000, failuresToOpen: 3, halfOpenAfterMs: 1_000 });
    const before = Date.now();
    expect(await client.call("echo", { n: 1, waitMs: 0 })).toEqual({ ok: true, data: { n: 1 } });
    expect(seen[0]!.deadline).toBeGreaterThanOrEqual(before + 3_000);
    expect(seen[0]!.deadline).toBeLessThanOrEqual(Date.now() + 3_000);
    for (const s of subs) s.unsubscribe();
  });

  it("a request that waited long after its caller gave up is seen as past its deadline", async () => {
    const seen: RpcCall[] = [];
    const subs = serveRpc(m, "stale", contract, {
      echo: async (input, call) => {
        seen.push(call);
        return { ok: true, data: { n: input.n } };
      },
    });
    // As a caller would send it, but 10 s ago: the server frozen meanwhile, say.
    const h = headers();
    h.set("Baedal-Timeout-Ms", "2000");
    h.set("Baedal-Deadline", String(Date.now() - 8_000));
    await m.nc.request(rpcSubject(m.ns, "stale", "echo"), JSON.stringify({ n: 1, waitMs: 0 }), { headers: h, timeout: 2_000 });
    expect(seen[0]!.deadline).toBeLessThan(Date.now());
    for (const s of subs) s.unsubscribe();
  });

  it("no responder: never delivered; the breaker then refuses here until its trial is due, and a recovery is announced", async () => {
    const client = new RpcClient(m, "nobody", contract, { timeoutMs: 1_000, failuresToOpen: 2, halfOpenAfterMs: 400 });
    let recovered = 0;
    client.onRecovered(() => recovered++);
    for (let i = 0; i < 2; i++) {
      const err = await client.call("echo", { n: i, waitMs: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteUnavailableError);
      expect((err as RemoteUnavailableError).neverDelivered).toBe(true);
    }
    expect(client.refusingCalls).toBe(true);
    const refused = await client.call("echo", { n: 3, waitMs: 0 }).catch((e: unknown) => e);
    expect((refused as RemoteUnavailableError).reason).toBe("circuit-open");
    expect((refused as RemoteUnavailableError).neverDelivered).toBe(true);

    const subs = serveRpc(m, "nobody", contract, { echo: async (input) => ({ ok: true, data: { n: input.n } }) });
    await m.nc.flush();
    const end = Date.now() + 5_000;
    while (client.refusingCalls && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(client.refusingCalls).toBe(false); // the trial is due
    expect(await client.call("echo", { n: 4, waitMs: 0 })).toEqual({ ok: true, data: { n: 4 } });
    expect(client.state).toBe("closed");
    expect(recovered).toBe(1);
    for (const s of subs) s.unsubscribe();
  });

  it("a burst waits its turn (bulkhead): the remote never has more than maxInFlight at once, and every call is answered", async () => {
    let now = 0;
    let most = 0;
    const subs = serveRpc(m, "bulkhead", contract, {
      echo: async (input) => {
        most = Math.max(most, ++now);
        await new Promise((r) => setTimeout(r, input.waitMs));
        now--;
        return { ok: true, data: { n: input.n } };
      },
    });
    const client = new RpcClient(m, "bulkhead", contract, { timeoutMs: 5_000, failuresToOpen: 3, halfOpenAfterMs: 1_000, maxInFlight: 2 });
    const replies = await Promise.all(Array.from({ length: 8 }, (_, n) => client.call("echo", { n, waitMs: 50 })));
    expect(replies.map((r) => (r.ok ? r.data.n : -1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(2);
    expect(client.state).toBe("closed");
    for (const s of subs) s.unsubscribe();
  });

  it("a call that waited too long for its turn is given up unsent, and does not count against the breaker", async () => {
    const subs = serveRpc(m, "queue", contract, {
      echo: async (input) => {
        await new Promise((r) => setTimeout(r, input.waitMs));
        return { ok: true, data: { n: input.n } };
      },
    });
    const client = new RpcClient(m, "queue", contract, {
      timeoutMs: 5_000,
      failuresToOpen: 1,
      halfOpenAfterMs: 1_000,
      maxInFlight: 1,
      maxQueueMs: 50,
    });
    const first = client.call("echo", { n: 1, waitMs: 400 });
    const second = await client.call("echo", { n: 2, waitMs: 0 }).catch((e: unknown) => e);
    expect((second as RemoteUnavailableError).reason).toBe("overloaded");
    expect((second as RemoteUnavailableError).neverDelivered).toBe(true);
    expect(await first).toEqual({ ok: true, data: { n: 1 } });
    expect(client.state).toBe("closed");
    for (const s of subs) s.unsubscribe();
  });

  it("a server too slow to answer: a timeout, which may have been delivered", async () => {
    const subs = serveRpc(m, "slow", contract, {
      echo: async (input) => {
        await new Promise((r) => setTimeout(r, input.waitMs));
        return { ok: true, data: { n: input.n } };
      },
    });
    const client = new RpcClient(m, "slow", contract, { timeoutMs: 200, failuresToOpen: 3, halfOpenAfterMs: 1_000 });
    const err = await client.call("echo", { n: 1, waitMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteTimeoutError);
    for (const s of subs) s.unsubscribe();
  });
});
