/**
 * A customer's My page tab, as the bench sees it: one `mypage.live` SSE subscription that records
 * when each order status first reached the screen. The delay of a status is the frame's arrival
 * time minus the `at` of that status' timeline entry — the time the owning context stamped the
 * change in the transaction that committed it (all processes share this machine's clock).
 */
import type { BaedalClient } from "@baedal/api/client";
import { wall } from "./stats.js";

const path = ["PLACED", "ACCEPTED", "COOKING", "READY", "RIDER_ASSIGNED", "PICKED_UP", "DELIVERED"];
const rank = (s: string) => (s === "CANCELLED" ? 99 : path.indexOf(s));

export interface Arrival {
  /** When the status was stamped by the context that changed it (ms since epoch). */
  at: number;
  /** When the frame showing it arrived here (ms since epoch). */
  receivedAt: number;
}

interface OrderFrame {
  status: string;
  timeline: { status: string; at: string }[];
}

interface Waiter {
  status: string;
  resolve: (a: Arrival) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class MyPageTab {
  /** orderId → status → first arrival. */
  private readonly seen = new Map<string, Map<string, Arrival>>();
  private readonly waiters = new Map<string, Waiter[]>();
  private sub: { unsubscribe(): void } | undefined;
  frames = 0;
  errors = 0;

  constructor(private readonly api: BaedalClient) {}

  /**
   * Opens the stream and resolves once the server confirmed it. A new customer's feed is empty,
   * so resuming from 0 misses nothing that happens after this call, whatever the timing.
   */
  open(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("My page stream did not start")), timeoutMs);
      this.sub = this.api.mypage.live.subscribe(
        { lastEventId: "0" },
        {
          onStarted: () => {
            clearTimeout(timer);
            resolve();
          },
          onData: (e: unknown) =>
            this.onFrame(e as { data: { kind: string; orderId: string | null; payload: unknown } }),
          onError: (err) => {
            this.errors++;
            clearTimeout(timer);
            reject(err);
          },
        },
      );
    });
  }

  close(): void {
    this.sub?.unsubscribe();
    for (const list of this.waiters.values()) for (const w of list) clearTimeout(w.timer);
    this.waiters.clear();
  }

  /** Resolves when `status` (or a later one) of the order has reached this tab. */
  waitFor(orderId: string, status: string, timeoutMs: number): Promise<Arrival> {
    const got = this.seen.get(orderId)?.get(status);
    if (got) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        status,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.drop(orderId, w);
          reject(new Error(`timeout: ${status}`));
        }, timeoutMs),
      };
      const list = this.waiters.get(orderId) ?? [];
      list.push(w);
      this.waiters.set(orderId, list);
    });
  }

  /** Forgets an order (keeps a long-running tab's memory flat). */
  forget(orderId: string): void {
    this.seen.delete(orderId);
  }

  private drop(orderId: string, w: Waiter) {
    const list = this.waiters.get(orderId)?.filter((x) => x !== w) ?? [];
    if (list.length) this.waiters.set(orderId, list);
    else this.waiters.delete(orderId);
  }

  private onFrame(e: { data: { kind: string; orderId: string | null; payload: unknown } }) {
    const receivedAt = wall();
    this.frames++;
    if (e.data.kind !== "ORDER" || !e.data.orderId) return;
    const orderId = e.data.orderId;
    const view = e.data.payload as OrderFrame;
    let seen = this.seen.get(orderId);
    if (!seen) this.seen.set(orderId, (seen = new Map()));
    for (const step of view.timeline) {
      if (!seen.has(step.status)) seen.set(step.status, { at: Date.parse(step.at), receivedAt });
    }
    const list = this.waiters.get(orderId);
    if (!list) return;
    const reached = rank(view.status);
    const rest: Waiter[] = [];
    for (const w of list) {
      const arrival = seen.get(w.status);
      if (arrival && rank(w.status) <= reached) {
        clearTimeout(w.timer);
        w.resolve(arrival);
      } else rest.push(w);
    }
    if (rest.length) this.waiters.set(orderId, rest);
    else this.waiters.delete(orderId);
  }
}
