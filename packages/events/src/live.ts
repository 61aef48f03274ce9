import { eventsSetting } from "./config.js";
import type { Subscription } from "@nats-io/transport-node";
import { liveSubject, type Messaging } from "./nats.js";

/** How often an idle live stream re-reads its feed anyway (ms), ±25 % so streams do not move in step. */
const defaultHeartbeatMs = () => eventsSetting("BAEDAL_LIVE_HEARTBEAT_MS");

/** The most a ping carries (encoded): a bigger change is announced by an empty ping and read. */
const maxCarriedBytes = 64 * 1024;
/** The most carried items a busy stream collects before it reads the database instead. */
const maxCollected = 256;

/**
 * Wake-up pings for live screens. A read model commits a change, then pings the channel key
 * (a customer, a shop, the rider feed); every process serving a live stream for that key
 * re-reads its read model from the last position it sent. A ping may carry what was committed
 * (the new feed entries): a stream that can tell it misses nothing in between sends those
 * without a read (see platform/live-feed.ts). A lost ping only delays, and a resumed stream
 * reads what it missed from the database.
 *
 * Pings are lost in practice while the NATS connection is down: after a reconnect every stream
 * of the process re-reads at once. A slow heartbeat covers anything else; it used to be the
 * only safety net (every 15 s per stream), which made idle streams the mypage process' main
 * load once there were thousands of them.
 */
export class LiveHub {
  private readonly listeners = new Map<string, Set<(carried: unknown[] | null) => void>>();
  private sub: Subscription | undefined;
  private stopped = false;

  constructor(
    private readonly m: Messaging,
    private readonly channel: string,
    private readonly heartbeatMs = defaultHeartbeatMs(),
  ) {}

  start(): void {
    this.stopped = false;
    this.sub = this.m.nc.subscribe(liveSubject(this.m.ns, this.channel, "*"), {
      callback: (_err, msg) => {
        const key = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
        const set = this.listeners.get(key);
        if (!set) return; // nobody here follows that key: the payload is not even decoded
        const carried = decodeCarried(msg.data);
        for (const fn of set) fn(carried);
      },
    });
    void this.wakeAllOnReconnect();
  }

  stop(): void {
    this.stopped = true;
    this.sub?.unsubscribe();
  }

  /** Wakes every stream of this hub: pings published while we were disconnected never came. */
  private async wakeAllOnReconnect(): Promise<void> {
    for await (const s of this.m.nc.status()) {
      if (this.stopped) return;
      if (s.type === "reconnect") for (const set of this.listeners.values()) for (const fn of set) fn(null);
    }
  }

  /** Wakes the streams of `key`; `carried`: what was committed, if the streams can use it. */
  ping(key: string, carried?: unknown[]): void {
    const subject = liveSubject(this.m.ns, this.channel, key);
    const body = carried?.length ? JSON.stringify(carried) : "";
    this.m.nc.publish(subject, body.length <= maxCarriedBytes ? body : "");
  }

  /**
   * Registers a listener for one key; returns the function that removes it. The listener gets
   * what the ping carried, or null (nothing carried: read).
   */
  listen(key: string, fn: (carried: unknown[] | null) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /**
   * An async iterator of wake-ups for one key, ending when `signal` aborts. Each wake-up yields
   * what the pings since the last one carried, in arrival order, or null when the stream must
   * read (its first wake-up, a heartbeat, a reconnect, a ping that carried nothing, or more than
   * it may collect). Wake-ups that arrive while the consumer is busy collapse into one.
   */
  async *wakeups(
    key: string,
    signal: AbortSignal | undefined,
    heartbeatMs = this.heartbeatMs,
  ): AsyncGenerator<unknown[] | null> {
    let wake: (() => void) | undefined;
    let pending = true; // read once at the start
    let collected: unknown[] | null = null; // null: read
    const unlisten = this.listen(key, (carried) => {
      if (!pending) collected = carried ? [...carried] : null;
      else if (collected && carried && collected.length + carried.length <= maxCollected) collected.push(...carried);
      else collected = null;
      pending = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      while (!signal?.aborted) {
        if (!pending) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, heartbeatMs * (0.75 + Math.random() * 0.5));
            timer.unref();
          });
          clearTimeout(timer); // woken by a ping: no timer per wake-up lingers until it fires
          wake = undefined;
          if (!pending) collected = null; // the heartbeat: read
        }
        if (signal?.aborted) return;
        pending = false;
        const carried = collected;
        collected = null;
        yield carried;
      }
    } finally {
      unlisten();
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

const utf8 = new TextDecoder();

/** What a ping carried: a JSON array, or null (an empty ping, or one this process cannot read). */
function decodeCarried(data: Uint8Array): unknown[] | null {
  if (data.length === 0) return null;
  try {
    const v: unknown = JSON.parse(utf8.decode(data));
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
