/**
 * LiveHub against the real NATS (NATS_URL): a stream wakes at its start, on a ping for its key
 * (and not for another key), after a reconnect (pings sent meanwhile are lost), and — as the
 * last safety net — on its slow, jittered heartbeat; a wake-up hands over what the pings carried.
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

/** Records what each wake-up yields; while `hold` is set the consumer is busy (pings collect). */
function record(hub: LiveHub, key: string, heartbeatMs?: number) {
  const abort = new AbortController();
  const seen: (unknown[] | null)[] = [];
  const gate = { hold: null as Promise<void> | null, release: () => {} };
  const busy = () => {
    gate.hold = new Promise<void>((r) => (gate.release = r));
  };
  const done = (async () => {
    for await (const carried of hub.wakeups(key, abort.signal, heartbeatMs)) {
      seen.push(carried);
      if (gate.hold) await gate.hold;
    }
  })();
  return { seen, busy, free: () => ((gate.hold = null), gate.release()), stop: async () => (abort.abort(), await done) };
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

  it("an idle stream still re-reads on its heartbeat", async () => {
    const a = follow(hub, "erin", 400);
    await until("the first read", () => a.state.wakes === 1);
    // No ping, no reconnect: only the heartbeat can wake it (timings are not asserted).
    await until("the heartbeat", () => a.state.wakes === 2);
    await a.stop();
  });

  it("hands over what the pings carried, or null when the stream must read", async () => {
    const r = record(hub, "frank");
    await until("the first read", () => r.seen.length === 1);
    expect(r.seen[0]).toBeNull(); // the first wake-up reads
    hub.ping("frank", [{ seq: 1 }]);
    await until("a carrying ping", () => r.seen.length === 2);
    expect(r.seen[1]).toEqual([{ seq: 1 }]);
    hub.ping("frank");
    await until("an empty ping", () => r.seen.length === 3);
    expect(r.seen[2]).toBeNull();
    // Busy: what two pings carry arrives together, in order.
    r.busy();
    hub.ping("frank", [{ seq: 2 }]);
    await until("the ping that finds it free", () => r.seen.length === 4);
    hub.ping("frank", [{ seq: 3 }]);
    hub.ping("frank", [{ seq: 4 }, { seq: 5 }]);
    await new Promise((res) => setTimeout(res, 200));
    r.free();
    await until("the collected pings", () => r.seen.length === 5);
    expect(r.seen[4]).toEqual([{ seq: 3 }, { seq: 4 }, { seq: 5 }]);
    // Busy again: a ping with nothing carried among them means read.
    r.busy();
    hub.ping("frank", [{ seq: 6 }]);
    await until("the ping that finds it free", () => r.seen.length === 6);
    hub.ping("frank", [{ seq: 7 }]);
    hub.ping("frank");
    hub.ping("frank", [{ seq: 8 }]);
    await new Promise((res) => setTimeout(res, 200));
    r.free();
    await until("the read", () => r.seen.length === 7);
    expect(r.seen[6]).toBeNull();
    // Too big to carry: announced empty.
    hub.ping("frank", [{ blob: "x".repeat(70_000) }]);
    await until("the oversized ping", () => r.seen.length === 8);
    expect(r.seen[7]).toBeNull();
    await r.stop();
  });

  it("a heartbeat means read", async () => {
    const r = record(hub, "gina", 300);
    await until("the first read and a heartbeat", () => r.seen.length >= 2);
    expect(r.seen.slice(0, 2)).toEqual([null, null]);
    await r.stop();
  });
});
