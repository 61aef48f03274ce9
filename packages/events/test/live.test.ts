/**
 * LiveHub against the real NATS (NATS_URL): a stream wakes at its start, on a ping for its key
 * (and not for another key), after a reconnect (pings sent meanwhile are lost), and — as the
 * last safety net — on its slow, jittered heartbeat.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveHub } from "../src/live.js";
import { connectMessaging, type Messaging } from "../src/nats.js";

const url = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

/** Counts the wake-ups of one key until aborted. */
function follow(hub: LiveHub, key: string, heartbeatMs?: number) {
  const abort = new AbortController();
  const state = { wakes: 0 };
  const done = (async () => {
    for await (const _ of hub.wakeups(key, abort.signal, heartbeatMs)) state.wakes++;
  })();
  return { state, stop: async () => (abort.abort(), await done) };
}

const until = async (what: string, ok: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("LiveHub", () => {
  let m: Messaging;
  let hub: LiveHub;

  beforeAll(async () => {
    m = await connectMessaging({ url, ns: `t${randomBytes(4).toString("hex")}`, name: "live-test" });
    hub = new LiveHub(m, "customer", 60_000);
    hub.start();
  });
  afterAll(async () => {
    hub.stop();
    await m.nc.close();
  });

  it("wakes once at the start, then on a ping for its key only", async () => {
    const a = follow(hub, "alice");
    const b = follow(hub, "bob");
    await until("the first reads", () => a.state.wakes === 1 && b.state.wakes === 1);
    hub.ping("alice");
    await until("alice's ping", () => a.state.wakes === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.state.wakes).toBe(1);
    await a.stop();
    await b.stop();
  });

  it("wakes every stream after NATS reconnects, with no ping", async () => {
    const a = follow(hub, "carol");
    const b = follow(hub, "dave");
    await until("the first reads", () => a.state.wakes === 1 && b.state.wakes === 1);
    await m.nc.reconnect();
    await until("the wake-up after the reconnect", () => a.state.wakes === 2 && b.state.wakes === 2, 10_000);
    await a.stop();
    await b.stop();
  });

  it("an idle stream still re-reads on its heartbeat, jittered to 75–125 % of it", async () => {
    const started = Date.now();
    const a = follow(hub, "erin", 400);
    await until("the first read", () => a.state.wakes === 1);
    await until("the heartbeat", () => a.state.wakes === 2);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(3_000); // far below the default heartbeat; room for a busy event loop
    await a.stop();
  });
});
