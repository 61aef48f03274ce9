import { eventsSetting } from "./config.js";
import type { Subscription } from "@nats-io/transport-node";
import { liveSubject, type Messaging } from "./nats.js";

/** How often an idle live stream re-reads its feed anyway (ms), ±25 % so streams do not move in step. */
const defaultHeartbeatMs = () => eventsSetting("BAEDAL_LIVE_HEARTBEAT_MS");

/**
 * Wake-up pings for live screens. A read model commits a change, then pings the channel key
 * (a customer, a shop, the rider feed); every process serving a live stream for that key
 * re-reads its read model from the last position it sent. Pings carry no data, so a lost ping
 * only delays, and a resumed stream reads what it missed from the database.
 *
 * Pings are lost in practice while the NATS connection is down: after a reconnect every stream
 * of the process re-reads at once. A slow heartbeat covers anything else; it used to be the
 * only safety net (every 15 s per stream), which made idle streams the mypage process' main
 * load once there were thousands of them.
 */
export class LiveHub {
  private readonly listeners = new Map<string, Set<() => void>>();
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
        for (const fn of this.listeners.get(key) ?? []) fn();
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
      if (s.type === "reconnect") for (const set of this.listeners.values()) for (const fn of set) fn();
    }
  }

  ping(key: string): void {
    this.m.nc.publish(liveSubject(this.m.ns, this.channel, key));
  }

  /** Registers a listener for one key; returns the function that removes it. */
  listen(key: string, fn: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /**
   * An async iterator of wake-ups for one key, ending when `signal` aborts. Wake-ups that arrive
   * while the consumer is busy collapse into one.
   */
  async *wakeups(
    key: string,
    signal: AbortSignal | undefined,
    heartbeatMs = this.heartbeatMs,
  ): AsyncGenerator<void> {
    let wake: (() => void) | undefined;
    let pending = true; // read once at the start
    const unlisten = this.listen(key, () => {
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
        }
        if (signal?.aborted) return;
        pending = false;
        yield;
      }
    } finally {
      unlisten();
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
