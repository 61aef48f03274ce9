/**
 * What each step of an order costs, measured in isolation: N orders are driven through the
 * lifecycle one step at a time (all N through "place", then all N through "accept", …) with no
 * other load. Each step's window runs from the end of the previous one until the system has gone
 * quiet again (every consequence of the step handled: events, projections, My page frames);
 * Postgres' counters are read after a further wait, when the backends have reported
 * (PGSTAT_IDLE_INTERVAL). The idle background is measured just before and subtracted.
 */
import { placeInput } from "../lib/actors.js";
import type { BenchCluster } from "../lib/cluster.js";
import { CostMeter, structure, type UnitCost } from "../lib/cost-meter.js";
import type { IdDirectory } from "../lib/directory.js";
import { ErrorTally, errorKind, mono, round, sleep } from "../lib/stats.js";
import type { Customer, OrderingLoad } from "./ordering.js";

interface StepCost {
  step: string;
  /** Orders that completed the step (an order that failed a step leaves the probe). */
  orders: number;
  wallSeconds: number;
  cost: UnitCost;
}

export interface StepProbe {
  orders: number;
  concurrency: number;
  idleSeconds: number;
  settleSeconds: number;
  steps: StepCost[];
  /** The steps added up: one order from place to delivered. */
  lifecycle: UnitCost;
  errors: { total: number; byKind: Record<string, number> };
}

interface ProbeOrder {
  customer: Customer;
  shop: ReturnType<OrderingLoad["pickShop"]>;
  orderId?: string;
  ticketId?: string;
  riderCallId?: string;
}

const timeoutMs = 30_000;

export async function stepProbe(
  cluster: BenchCluster,
  load: OrderingLoad,
  directory: IdDirectory,
  meter: CostMeter,
  opts: {
    orders: number;
    concurrency: number;
    idleSeconds: number;
    settleSeconds: number;
    log: (m: string) => void;
  },
): Promise<StepProbe> {
  const { customers } = await load.customersFor(opts.orders);
  let orders: ProbeOrder[] = customers.map((customer) => ({ customer, shop: load.pickShop() }));
  const shown = (o: ProbeOrder, status: string) => o.customer.tab.waitFor(o.orderId!, status, timeoutMs);
  const steps: [string, (o: ProbeOrder) => Promise<unknown>][] = [
    [
      "place",
      async (o) => {
        ({ orderId: o.orderId } = await o.customer.api.order.place.mutate(placeInput(o.shop.order)));
        await shown(o, "PLACED");
        o.ticketId = await directory.ticketOf(o.orderId!, timeoutMs);
      },
    ],
    [
      "accept",
      (o) =>
        o.shop.owner.store.accept
          .mutate({ ticketId: o.ticketId!, prepMinutes: 15 })
          .then(() => shown(o, "ACCEPTED")),
    ],
    [
      "cook",
      (o) =>
        o.shop.owner.store.startCooking.mutate({ ticketId: o.ticketId! }).then(() => shown(o, "COOKING")),
    ],
    [
      "ready",
      (o) => o.shop.owner.store.markReady.mutate({ ticketId: o.ticketId! }).then(() => shown(o, "READY")),
    ],
    [
      "call rider",
      async (o) => {
        await o.shop.owner.store.callRider.mutate({ ticketId: o.ticketId!, feeKrw: 3_000 });
        o.riderCallId = await directory.riderCallOf(o.orderId!, timeoutMs);
      },
    ],
    [
      "rider accept",
      (o) =>
        o.customer.rider.delivery.accept
          .mutate({ riderCallId: o.riderCallId! })
          .then(() => shown(o, "RIDER_ASSIGNED")),
    ],
    [
      "pick up",
      (o) =>
        o.customer.rider.delivery.pickedUp
          .mutate({ riderCallId: o.riderCallId! })
          .then(() => shown(o, "PICKED_UP")),
    ],
    [
      "deliver",
      (o) =>
        o.customer.rider.delivery.delivered
          .mutate({ riderCallId: o.riderCallId! })
          .then(() => shown(o, "DELIVERED")),
    ],
  ];

  const settle = async () => {
    await cluster.quiesce();
    await sleep(opts.settleSeconds * 1000);
  };
  await settle();
  const idle = await meter.idle(opts.idleSeconds);
  const errors = new ErrorTally();
  const result: StepCost[] = [];
  let start = await meter.snapshot();
  for (const [step, run] of steps) {
    const t0 = mono();
    const done: ProbeOrder[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(opts.concurrency, orders.length) }, async () => {
        while (next < orders.length) {
          const o = orders[next++]!;
          try {
            await run(o);
            done.push(o);
          } catch (err) {
            errors.add(`${step}: ${errorKind(err)}`);
          }
        }
      }),
    );
    const wallSeconds = round((mono() - t0) / 1000, 1);
    if (!(await cluster.quiesce())) errors.add(`${step}: did not go quiet within 60 s`);
    const end = await meter.snapshot();
    await sleep(opts.settleSeconds * 1000);
    const settled = await meter.snapshot();
    const { cost } = meter.cost(start, CostMeter.withPgOf(end, settled), idle, done.length);
    result.push({ step, orders: done.length, wallSeconds, cost });
    opts.log(
      `  step ${step}: ${done.length} orders, ${cost.cpuMs.baedal} CPU ms, ${cost.statements.total} statements, ` +
        `${cost.transactions.total} tx (Postgres: ${cost.pg.transactions}), ${cost.nats.sent + cost.nats.received} NATS msgs per order`,
    );
    // The next window starts where this one's database figures were read.
    start = settled;
    orders = done;
  }
  for (const o of orders) if (o.orderId) o.customer.tab.forget(o.orderId);

  return {
    orders: opts.orders,
    concurrency: opts.concurrency,
    idleSeconds: idle.seconds,
    settleSeconds: opts.settleSeconds,
    steps: result,
    lifecycle: addUp(result),
    errors: { total: errors.total, byKind: errors.byKind },
  };
}

/** The per-order costs of the steps added up (the background shares do not add: left out). */
function addUp(steps: StepCost[]): UnitCost {
  const flat: Record<string, number> = {};
  const add = (prefix: string, byKey: Record<string, number>) => {
    for (const [k, x] of Object.entries(byKey)) flat[prefix + k] = (flat[prefix + k] ?? 0) + x;
  };
  for (const { cost: c } of steps) {
    add("cpu:", c.cpuMs.byProcess);
    add("stmt:", c.statements.byContext);
    add("tx:", c.transactions.byContext);
    add("", {
      "cpu-postgres": c.cpuMs.postgres,
      "cpu-nats": c.cpuMs.nats,
      "cpu-driver": c.cpuMs.driver,
      "pg-commits": c.pg.transactions - c.pg.rollbacks,
      "pg-rollbacks": c.pg.rollbacks,
      "pg-inserted": c.pg.rowsInserted,
      "pg-updated": c.pg.rowsUpdated,
      "pg-deleted": c.pg.rowsDeleted,
      "nats-sent": c.nats.sent,
      "nats-received": c.nats.received,
      "stream-messages": c.nats.streamMessages,
      "rpc-calls": c.nats.rpcCalls,
      "events-published": c.nats.eventsPublished,
      "events-handled": c.nats.eventsHandled,
    });
  }
  const none = Number.NaN;
  const gross = (f: (c: UnitCost) => number) => steps.reduce((a, s) => a + f(s.cost), 0);
  return structure(
    flat,
    steps.at(-1)?.orders ?? 0,
    { cpu: none, statements: none, pgTransactions: none, natsMessages: none },
    {
      cpuMsBaedal: gross((c) => c.gross.cpuMsBaedal),
      statements: gross((c) => c.gross.statements),
      transactions: gross((c) => c.gross.transactions),
      pgTransactions: gross((c) => c.gross.pgTransactions),
    },
  );
}
