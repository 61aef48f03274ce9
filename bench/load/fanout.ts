/**
 * Live fan-out: N customers keep My page open (N concurrent `mypage.live` SSE subscriptions on
 * the one mypage process). At each level:
 *   memory   — the mypage process' RSS and heap (after a full GC) before and after the N
 *              connections opened, per connection;
 *   idle CPU — what the mypage process spends per second just keeping N streams;
 *   delivery — customers among the N place an order each (paced by a small closed loop) while
 *              all N stay connected; the delay from the order's PLACED stamp to the frame on
 *              that customer's own stream.
 * Subscribers of a level stay for the next one (1,000 → 5,000 adds 4,000).
 */
import type { BaedalClient } from "@baedal/api/client";
import { newCustomer, placeInput, shopOrders } from "../lib/actors.js";
import { procSample, type BenchCluster } from "../lib/cluster.js";
import { MyPageTab } from "../lib/my-page.js";
import { heapGrowth, type HeapGrowth } from "../profile/heap-diff.js";
import {
  ErrorTally,
  errorKind,
  mono,
  round,
  sleep,
  summarize,
  wall,
  type LatencySummary,
} from "../lib/stats.js";

interface Subscriber {
  api: BaedalClient;
  tab: MyPageTab;
  ordered: boolean;
}

export interface FanoutLevel {
  subscribers: number;
  connectSeconds: number;
  connectErrors: number;
  memory: {
    before: { rssBytes: number; heapUsedBytes: number };
    after: { rssBytes: number; heapUsedBytes: number };
    rssPerConnectionKiB: number;
    heapPerConnectionKiB: number;
  };
  /** % of one core the mypage process used with N idle streams open. */
  idleCpuPercent: number;
  /** What the new streams' heap consists of (only with BENCH_HEAP_DIFF=1: snapshots disturb RSS). */
  heapGrowth?: HeapGrowth;
  delivery: {
    orders: number;
    /** Customers who were to order at this level (all new subscribers, unless capped or out of time). */
    wanted: number;
    placeClients: number;
    eventToScreen: LatencySummary;
    mutationToScreen: LatencySummary;
    errors: { total: number; byKind: Record<string, number> };
  };
}

export class LiveFanout {
  private readonly subs: Subscriber[] = [];
  private next = 0;

  constructor(
    private readonly cluster: BenchCluster,
    private readonly log: (m: string) => void,
  ) {}

  close(): void {
    for (const s of this.subs) s.tab.close();
  }

  private async weigh() {
    const m = await this.cluster.memory("mypage");
    return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
  }

  private snapshot(): Promise<string> {
    return this.cluster
      .ask<{ file: string }>("mypage", "bench:heapsnapshot", 120_000, { dir: this.cluster.logDir })
      .then((r) => r.file);
  }

  async level(
    n: number,
    opts: {
      orders: number;
      placeClients: number;
      idleSeconds: number;
      maxDeliverySeconds: number;
      heapDiff?: boolean;
    },
  ): Promise<FanoutLevel> {
    await this.cluster.quiesce();
    const snapBefore = opts.heapDiff ? await this.snapshot() : null;
    const before = await this.weigh();
    const already = this.subs.length;
    const t0 = mono();
    let connectErrors = 0;
    // Opened in waves so the connect storm itself does not time out; when a tenth of them fail
    // the level stops growing and is measured with what it has.
    while (this.subs.length < n && connectErrors <= n / 10) {
      const wave = Array.from({ length: Math.min(250, n - this.subs.length) }, async () => {
        const api = await this.cluster.client(newCustomer());
        const tab = new MyPageTab(api);
        try {
          await tab.open();
          return { api, tab, ordered: false };
        } catch {
          connectErrors++;
          tab.close();
          return null;
        }
      });
      for (const s of await Promise.all(wave)) if (s) this.subs.push(s);
    }
    const connectSeconds = (mono() - t0) / 1000;
    await sleep(2_000); // let the first reads of the new streams finish
    const after = await this.weigh();
    const opened = this.subs.length - already;
    const growth = snapBefore ? heapGrowth(snapBefore, await this.snapshot(), opened) : undefined;

    const pid = this.cluster.processes.get("mypage")!.child.pid!;
    const c0 = procSample(pid).cpuMs;
    const tIdle = mono();
    await sleep(opts.idleSeconds * 1000);
    const idleCpuPercent = round(((procSample(pid).cpuMs - c0) / (mono() - tIdle)) * 100, 1);

    const delivery = await this.deliver(opts.orders, opts.placeClients, opts.maxDeliverySeconds);
    const per = (a: number, b: number) => round((b - a) / 1024 / Math.max(1, opened), 2);
    const result: FanoutLevel = {
      subscribers: this.subs.length,
      connectSeconds: round(connectSeconds, 1),
      connectErrors,
      memory: {
        before,
        after,
        rssPerConnectionKiB: per(before.rssBytes, after.rssBytes),
        heapPerConnectionKiB: per(before.heapUsedBytes, after.heapUsedBytes),
      },
      idleCpuPercent,
      ...(growth ? { heapGrowth: growth } : {}),
      delivery,
    };
    this.log(
      `  fan-out ${this.subs.length}: ${result.memory.heapPerConnectionKiB} KiB heap + ${result.memory.rssPerConnectionKiB} KiB RSS per stream, ` +
        `idle CPU ${idleCpuPercent}%, delivery p99 ${delivery.eventToScreen.p99} ms over ${delivery.orders} orders`,
    );
    return result;
  }

  /**
   * Customers who have not ordered yet place one order each and wait for its PLACED frame on
   * their own stream; no new order starts after `maxSeconds` (the run stays bounded when the
   * system is slower than expected).
   */
  private async deliver(orders: number, placeClients: number, maxSeconds: number) {
    const queue = this.subs.filter((s) => !s.ordered).slice(0, orders);
    const e2s: number[] = [];
    const m2s: number[] = [];
    const errors = new ErrorTally();
    const deadline = mono() + maxSeconds * 1000;
    let taken = 0;
    // A closed loop of `placeClients` workers over the queue of customers.
    await Promise.all(
      Array.from({ length: placeClients }, async () => {
        for (let s = queue[taken++]; s && mono() < deadline; s = queue[taken++]) {
          s.ordered = true;
          try {
            const order = shopOrders[this.next++ % shopOrders.length]!;
            const { orderId } = await s.api.order.place.mutate(placeInput(order));
            const answeredAt = wall();
            const a = await s.tab.waitFor(orderId, "PLACED", 30_000);
            e2s.push(a.receivedAt - a.at);
            m2s.push(Math.max(0, a.receivedAt - answeredAt));
            s.tab.forget(orderId);
          } catch (err) {
            errors.add(errorKind(err));
          }
        }
      }),
    );
    return {
      orders: e2s.length,
      wanted: queue.length,
      placeClients,
      eventToScreen: summarize(e2s),
      mutationToScreen: summarize(m2s),
      errors: { total: errors.total, byKind: errors.byKind },
    };
  }
}
