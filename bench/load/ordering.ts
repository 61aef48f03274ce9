/**
 * Ordering throughput: a closed loop of N customers over the tRPC HTTP API, at each load level
 * in two phases, each ending when the system has gone quiet again:
 *   lifecycle  — each customer places an order and the order is driven to DELIVERED through the
 *                shop owner's and the rider's procedures, waiting after every step until the
 *                customer's My page (SSE) shows it; yields lifecycle orders/s, event-to-screen
 *                delays, and what a lifecycle costs (CPU per process, statements, transactions,
 *                NATS messages: lib/cost-meter.ts);
 *   place-only — each customer places orders back to back; yields the placing capacity and the
 *                place-order latency of the hottest path alone.
 */
import type { BaedalClient } from "@baedal/api/client";
import { newCustomer, newRider, placeInput, shopOrders } from "../lib/actors.js";
import type { BenchCluster } from "../lib/cluster.js";
import { closedLoop } from "../lib/closed-loop.js";
import { CostMeter, type IdleRates, type UnitCost } from "../lib/cost-meter.js";
import type { IdDirectory } from "../lib/directory.js";
import { cpuBetween, machineSample } from "../lib/machine.js";
import { MyPageTab } from "../lib/my-page.js";
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

const stepTimeoutMs = 30_000;

/** Completions per second over the time from a phase's start to its last completion. */
const rate = (count: number, elapsedMs: number) =>
  count > 0 && elapsedMs > 0 ? round(count / (elapsedMs / 1000)) : 0;
const statuses = [
  "PLACED",
  "ACCEPTED",
  "COOKING",
  "READY",
  "RIDER_ASSIGNED",
  "PICKED_UP",
  "DELIVERED",
] as const;

export interface Customer {
  api: BaedalClient;
  tab: MyPageTab;
  rider: BaedalClient;
}

export interface LifecyclePhase {
  /** New journeys start during this many seconds; those running then finish afterwards. */
  seconds: number;
  placed: number;
  /** Placed orders over the time from the phase's start to the last placement. */
  placedPerSecond: number;
  delivered: number;
  /** Delivered orders over the time from the phase's start to the last delivery. */
  deliveredPerSecond: number;
  placeLatency: LatencySummary;
  /** Place call to the DELIVERED frame on My page. */
  lifecycleLatency: LatencySummary;
  /** Status stamped by the committing context → frame on My page, all statuses. */
  eventToScreen: LatencySummary;
  /** Mutation answered → frame on My page (what the acting user's counterpart waits). */
  mutationToScreen: LatencySummary;
  eventToScreenByStatus: Record<string, LatencySummary>;
  errors: { total: number; byKind: Record<string, number> };
  transactions: {
    gross: number;
    driver: number;
    idleBackground: number;
    idlePerSecond: number;
    net: number;
    lifecycles: number;
    /** n/a where the idle background was half the count or more. */
    perLifecycle: number;
    /** Rows inserted/updated/deleted per lifecycle (all contexts; no idle background in it). */
    rowsWrittenPerLifecycle: number;
  };
  /**
   * What one delivered lifecycle cost, from the phase's start until the system went quiet again
   * (journeys that failed are paid by the delivered ones), net of the idle background.
   */
  cost: UnitCost;
  /** % of one core per process during the window (machineCapacity = all cores). */
  cpu: Record<string, number>;
  drainedInSeconds: number;
}

export interface PlaceOnlyPhase {
  seconds: number;
  placed: number;
  perSecond: number;
  latency: LatencySummary;
  errors: { total: number; byKind: Record<string, number> };
  cpu: Record<string, number>;
  drainedInSeconds: number;
}

export interface LoadLevel {
  clients: number;
  lifecycle: LifecyclePhase;
  placeOnly: PlaceOnlyPhase;
}

/** Drives load levels against a running cluster; customers are created once and reused. */
export class OrderingLoad {
  private readonly customers: Customer[] = [];
  private owners: BaedalClient[] = [];
  private next = 0;

  constructor(
    private readonly cluster: BenchCluster,
    private readonly directory: IdDirectory,
    private readonly meter: CostMeter,
    private readonly log: (m: string) => void,
    /** How long after a phase Postgres' counters are read (its backends report up to 10 s late). */
    private readonly pgSettleSeconds = 10.5,
  ) {}

  async close(): Promise<void> {
    for (const c of this.customers) c.tab.close();
  }

  /** The first `n` customers (created and their My page opened when needed), and the shop owners. */
  async customersFor(n: number): Promise<{ customers: Customer[]; owners: BaedalClient[] }> {
    await this.ensureCustomers(n);
    return { customers: this.customers.slice(0, n), owners: this.owners };
  }

  private async ensureCustomers(n: number): Promise<void> {
    if (this.owners.length === 0)
      this.owners = await Promise.all(shopOrders.map((s) => this.cluster.client(s.owner)));
    while (this.customers.length < n) {
      const batch = Array.from({ length: Math.min(32, n - this.customers.length) }, async () => {
        const api = await this.cluster.client(newCustomer());
        const tab = new MyPageTab(api);
        await tab.open();
        const rider = await this.cluster.client(newRider());
        await rider.delivery.setOnline.mutate({ online: true });
        return { api, tab, rider };
      });
      this.customers.push(...(await Promise.all(batch)));
    }
  }

  /** The next shop, round-robin, and its owner's client. */
  pickShop() {
    const i = this.next++ % shopOrders.length;
    return { order: shopOrders[i]!, owner: this.owners[i]! };
  }

  async level(clients: number, opts: { lifecycleSeconds: number; placeSeconds: number }): Promise<LoadLevel> {
    const lifecycle = await this.lifecycleLevel(clients, opts.lifecycleSeconds);
    const placeOnly = await this.placeOnly(clients, opts.placeSeconds);
    return { clients, lifecycle, placeOnly };
  }

  /**
   * The full-lifecycle phase alone. Before it, the quiet system's background with these
   * customers' tabs open (outbox relay polls, background tasks, live streams' heartbeats) is
   * measured, to be subtracted from the phase's counts.
   */
  async lifecycleLevel(clients: number, seconds: number): Promise<LifecyclePhase> {
    await this.ensureCustomers(clients);
    await this.cluster.quiesce();
    const idle = await this.meter.idle(4);
    return this.lifecyclePhase(clients, seconds, idle);
  }

  private async lifecyclePhase(clients: number, seconds: number, idle: IdleRates): Promise<LifecyclePhase> {
    const place: number[] = [];
    const lifecycle: number[] = [];
    const e2s: number[] = [];
    const m2s: number[] = [];
    const byStatus: Record<string, number[]> = Object.fromEntries(statuses.map((s) => [s, []]));
    const errors = new ErrorTally();
    // A closed loop's journeys that run at the deadline finish afterwards: the rates are what
    // completed over the time it took, from the start to the last completion.
    let placedTotal = 0;
    let lastPlacedAt = 0;
    let deliveredTotal = 0;
    let lastDeliveredAt = 0;

    const c0 = await this.meter.snapshot();
    const s0 = { machine: machineSample(), procs: this.cluster.sampleAll() };
    let s1 = s0;

    const journey = async (c: Customer) => {
      const { order, owner } = this.pickShop();
      const started = mono();
      let orderId: string | undefined;
      const reached = async (status: string, answeredAt: number) => {
        const a = await c.tab.waitFor(orderId!, status, stepTimeoutMs);
        const delay = a.receivedAt - a.at;
        e2s.push(delay);
        byStatus[status]!.push(delay);
        m2s.push(Math.max(0, a.receivedAt - answeredAt));
      };
      const act = async (call: () => Promise<unknown>, status: string) => {
        await call();
        await reached(status, wall());
      };
      // Every failure is counted under the step it happened in.
      let step = "place";
      try {
        ({ orderId } = await c.api.order.place.mutate(placeInput(order)));
        const placedAt = mono();
        place.push(placedAt - started);
        placedTotal++;
        lastPlacedAt = placedAt;
        step = "PLACED on My page";
        await reached("PLACED", wall());
        step = "ticket";
        const ticketId = await this.directory.ticketOf(orderId, stepTimeoutMs);
        step = "accept";
        await act(() => owner.store.accept.mutate({ ticketId, prepMinutes: 15 }), "ACCEPTED");
        step = "startCooking";
        await act(() => owner.store.startCooking.mutate({ ticketId }), "COOKING");
        step = "markReady";
        await act(() => owner.store.markReady.mutate({ ticketId }), "READY");
        step = "callRider";
        await owner.store.callRider.mutate({ ticketId, feeKrw: 3_000 });
        step = "rider call";
        const riderCallId = await this.directory.riderCallOf(orderId, stepTimeoutMs);
        step = "rider accept";
        await act(() => c.rider.delivery.accept.mutate({ riderCallId }), "RIDER_ASSIGNED");
        step = "pickedUp";
        await act(() => c.rider.delivery.pickedUp.mutate({ riderCallId }), "PICKED_UP");
        step = "delivered";
        await act(() => c.rider.delivery.delivered.mutate({ riderCallId }), "DELIVERED");
        const done = mono();
        lifecycle.push(done - started);
        deliveredTotal++;
        lastDeliveredAt = done;
      } catch (err) {
        errors.add(`${step}: ${errorKind(err)}`);
      } finally {
        if (orderId) c.tab.forget(orderId);
      }
    };

    const phaseStart = mono();
    const run = closedLoop({
      clients,
      seconds,
      iteration: (i) => journey(this.customers[i]!),
    });
    // Take the window's CPU sample at its end, while the tail of the journeys still runs.
    const sampler = new Promise<void>((r) =>
      setTimeout(() => {
        s1 = { machine: machineSample(), procs: this.cluster.sampleAll() };
        r();
      }, seconds * 1000),
    );
    await Promise.all([run, sampler]);
    const drainStart = mono();
    const quiet = await this.cluster.quiesce();
    const drained = (mono() - drainStart) / 1000;
    if (!quiet) errors.add("did not go quiet within 60 s");
    const quietAt = await this.meter.snapshot();
    await sleep(this.pgSettleSeconds * 1000);
    const c1 = CostMeter.withPgOf(quietAt, await this.meter.snapshot());
    const { cost, background } = this.meter.cost(c0, c1, idle, deliveredTotal);
    const pgDelta = (k: string) => (c1.v[k] ?? 0) - (c0.v[k] ?? 0);
    const idleXactPerSecond = idle.perSecond["pg-commits"] ?? 0;
    const gross = pgDelta("pg-commits");
    // The driver's id lookups, and the queries of one /metrics scrape of every process.
    const driver = pgDelta("driver-reads") + Math.round(this.meter.snapshotCosts["pg-commits"] ?? 0);
    const idleBackground = Math.round(background["pg-commits"] ?? 0);
    const net = gross - driver - idleBackground;
    // Where the idle background is most of the count, the difference says nothing.
    const reliable = deliveredTotal > 0 && idleBackground < gross / 2;
    const result: LifecyclePhase = {
      seconds,
      placed: placedTotal,
      placedPerSecond: rate(placedTotal, lastPlacedAt - phaseStart),
      delivered: deliveredTotal,
      deliveredPerSecond: rate(deliveredTotal, lastDeliveredAt - phaseStart),
      placeLatency: summarize(place),
      lifecycleLatency: summarize(lifecycle),
      eventToScreen: summarize(e2s),
      mutationToScreen: summarize(m2s),
      eventToScreenByStatus: Object.fromEntries(Object.entries(byStatus).map(([s, v]) => [s, summarize(v)])),
      errors: { total: errors.total, byKind: errors.byKind },
      transactions: {
        gross,
        driver,
        idleBackground,
        idlePerSecond: round(idleXactPerSecond, 1),
        net,
        lifecycles: deliveredTotal,
        perLifecycle: reliable ? round(net / deliveredTotal, 1) : Number.NaN,
        rowsWrittenPerLifecycle: deliveredTotal
          ? round(
              (pgDelta("pg-inserted") + pgDelta("pg-updated") + pgDelta("pg-deleted")) / deliveredTotal,
              1,
            )
          : Number.NaN,
      },
      cost,
      cpu: cpuBetween(s0, s1, seconds * 1000),
      drainedInSeconds: round(drained, 1),
    };
    this.log(
      `  lifecycle x${clients}: ${result.deliveredPerSecond} delivered/s, place p99 ${result.placeLatency.p99} ms, ` +
        `event→screen p99 ${result.eventToScreen.p99} ms, ${result.transactions.perLifecycle} tx/lifecycle, ` +
        `${cost.cpuMs.baedal} CPU ms/lifecycle, ${cost.statements.total} statements/lifecycle, errors ${errors.total}`,
    );
    return result;
  }

  /** Customers place orders back to back; nobody moves them on. */
  async placeOnly(
    clients: number,
    seconds: number,
    opts: { drain?: boolean; quiet?: boolean } = {},
  ): Promise<PlaceOnlyPhase> {
    await this.ensureCustomers(clients);
    const latency: number[] = [];
    const errors = new ErrorTally();
    let placed = 0;
    let lastPlacedAt = 0;
    const phaseStart = mono();
    const s0 = { machine: machineSample(), procs: this.cluster.sampleAll() };
    let s1 = s0;
    const run = closedLoop({
      clients,
      seconds,
      iteration: async (i) => {
        const { order } = this.pickShop();
        const t = mono();
        try {
          const { orderId } = await this.customers[i]!.api.order.place.mutate(placeInput(order));
          const done = mono();
          latency.push(done - t);
          placed++;
          lastPlacedAt = done;
          this.customers[i]!.tab.forget(orderId);
        } catch (err) {
          errors.add(`place: ${errorKind(err)}`);
        }
      },
    });
    const sampler = new Promise<void>((r) =>
      setTimeout(() => {
        s1 = { machine: machineSample(), procs: this.cluster.sampleAll() };
        r();
      }, seconds * 1000),
    );
    await Promise.all([run, sampler]);
    const drainStart = mono();
    if (opts.drain !== false && !(await this.cluster.quiesce())) errors.add("did not go quiet within 60 s");
    const result: PlaceOnlyPhase = {
      seconds,
      placed,
      perSecond: rate(placed, lastPlacedAt - phaseStart),
      latency: summarize(latency),
      errors: { total: errors.total, byKind: errors.byKind },
      cpu: cpuBetween(s0, s1, seconds * 1000),
      drainedInSeconds: round((mono() - drainStart) / 1000, 1),
    };
    if (!opts.quiet) {
      this.log(
        `  place-only x${clients}: ${result.perSecond} placed/s, p50 ${result.latency.p50} p99 ${result.latency.p99} ms, errors ${errors.total}`,
      );
    }
    return result;
  }
}
