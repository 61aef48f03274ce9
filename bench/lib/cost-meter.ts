/**
 * What a unit of work (one full lifecycle, one order through one step) costs the system: CPU of
 * every Baedal process (and of Postgres, NATS and the driver), SQL statements and transactions
 * per context as the processes count them on their pools, Postgres' own transaction and row
 * counts, NATS messages sent and received by the processes, events stored in JetStream, and
 * request/reply calls.
 *
 * A cost is the difference of two snapshots, minus
 *   - what taking a snapshot costs by itself (each /metrics scrape runs a few queries and
 *     JetStream requests in every process; measured back to back by `calibrate`),
 *   - the driver's own reads (ids the driver looks up in the bench database),
 *   - the idle system's background over the window (measured by `idle` just before),
 * divided by the units completed. Postgres' counters are read at their own time (`pgAt`):
 * a window may read them later than the rest, after their reporting delay has passed.
 *
 * Most of the idle background is the outbox relays' empty polls (every 250 ms per context). A
 * busy context polls less — each commit nudges its relay, which then publishes (work) and waits
 * 250 ms again — so a background of idle rate × time would take real work away. The polls each
 * process actually made are counted (baedal_outbox_polls_total): an empty poll's statements and
 * transaction are subtracted as counted, the rest of the background at its idle rate, and a
 * process's idle CPU in proportion to the empty polls it made.
 */
import type { BenchCluster } from "./cluster.js";
import { machineSample } from "./machine.js";
import { allProcs } from "./proc-tree.js";
import { cpuTrees, workCounters } from "./readings.js";
import { mono, round, sleep } from "./stats.js";

export interface Snapshot {
  at: number;
  pgAt: number;
  /** Flat counters: cpu:<process>, cpu-postgres, stmt:<context>, tx:<context>, nats-sent, pg-commits, … */
  v: Record<string, number>;
}

export interface IdleRates {
  seconds: number;
  /** Background per second of each counter, net of the snapshots' own cost. */
  perSecond: Record<string, number>;
}

export interface UnitCost {
  units: number;
  /** Per unit before the idle background is subtracted (all the window's work ÷ units). */
  gross: { cpuMsBaedal: number; statements: number; transactions: number; pgTransactions: number };
  /** CPU ms per unit: each Baedal process (with its children), their total, and the shared services. */
  cpuMs: {
    byProcess: Record<string, number>;
    baedal: number;
    postgres: number;
    nats: number;
    driver: number;
  };
  /** As counted on the contexts' pg pools (every statement; a transaction per BEGIN or autocommit statement). */
  statements: { byContext: Record<string, number>; total: number };
  transactions: { byContext: Record<string, number>; total: number };
  /** As Postgres counts them for the bench database (pg_stat_database), net of the driver's reads. */
  pg: {
    transactions: number;
    rollbacks: number;
    rowsInserted: number;
    rowsUpdated: number;
    rowsDeleted: number;
  };
  nats: {
    /** Messages the processes' NATS connections sent / received (events, pulls, acks, requests, replies, pings). */
    sent: number;
    received: number;
    /** Events stored in the JetStream stream. */
    streamMessages: number;
    rpcCalls: number;
    eventsPublished: number;
    eventsHandled: number;
  };
  /** Share of each gross figure that was the idle background: the higher, the rougher the estimate. */
  backgroundShare: { cpu: number; statements: number; pgTransactions: number; natsMessages: number };
}

const isPg = (k: string) => k.startsWith("pg-");
/** An empty relay pass: BEGIN, SELECT … FOR UPDATE SKIP LOCKED, COMMIT (packages/events/src/outbox.ts). */
const emptyPoll = { statements: 3, transactions: 1 };
const sumOf = (v: Record<string, number>, prefix: string) =>
  Object.entries(v)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((a, [, x]) => a + x, 0);

export class CostMeter {
  /** What one snapshot adds by itself (see calibrate). */
  snapshotCosts: Record<string, number> = {};

  constructor(
    private readonly cluster: BenchCluster,
    private readonly driverReads: () => number,
  ) {}

  async snapshot(): Promise<Snapshot> {
    const at = mono();
    const v: Record<string, number> = {};
    const procs = allProcs();
    for (const [name, ms] of Object.entries(cpuTrees(this.cluster, procs))) v[`cpu:${name}`] = ms;
    const m = machineSample();
    v["cpu-postgres"] = m.postgresMs;
    v["cpu-nats"] = m.natsMs;
    v["cpu-driver"] = m.driverMs;
    v["driver-reads"] = this.driverReads();
    const pgAt = mono();
    const pg = await this.cluster.pgCounters();
    Object.assign(v, {
      "pg-commits": pg.commits,
      "pg-rollbacks": pg.rollbacks,
      "pg-inserted": pg.inserted,
      "pg-updated": pg.updated,
      "pg-deleted": pg.deleted,
    });
    v["stream-messages"] = (await this.cluster.backlog()).lastSeq;
    const w = await workCounters(this.cluster);
    for (const [c, n] of Object.entries(w.statements)) v[`stmt:${c}`] = n;
    for (const [c, n] of Object.entries(w.transactions)) v[`tx:${c}`] = n;
    // Twice: the Postgres figures of a window may be read at another time (see withPgOf).
    for (const [c, n] of Object.entries(w.emptyPolls)) v[`poll:${c}`] = v[`pg-poll:${c}`] = n;
    Object.assign(v, {
      "nats-sent": w.natsSent,
      "nats-received": w.natsReceived,
      "rpc-calls": w.rpcCalls,
      "events-published": w.eventsPublished,
      "events-handled": w.eventsHandled,
    });
    return { at, pgAt, v };
  }

  /** Postgres' counters of `late`, the rest of `early`: a window whose database figures are read after a wait. */
  static withPgOf(early: Snapshot, late: Snapshot): Snapshot {
    const v = { ...early.v };
    for (const [k, x] of Object.entries(late.v)) if (isPg(k)) v[k] = x;
    return { at: early.at, pgAt: late.pgAt, v };
  }

  /**
   * What one snapshot adds by itself, from back-to-back snapshots of the quiet system (the least
   * of three). Its statements are autocommit transactions, which Postgres counts a few seconds
   * later: those are taken from the processes' own counts. Measure again when the processes change.
   */
  async calibrate(): Promise<Record<string, number>> {
    const shots = [
      await this.snapshot(),
      await this.snapshot(),
      await this.snapshot(),
      await this.snapshot(),
    ];
    const deltas = shots.slice(1).map((s, i) => diff(shots[i]!, s));
    // A relay poll that fell between two snapshots is not the snapshot's doing.
    const ownPart = (d: Record<string, number>, k: string) => {
      const [kind, c] = k.split(":");
      if (kind === "stmt") return d[k]! - emptyPoll.statements * (d[`poll:${c}`] ?? 0);
      if (kind === "tx") return d[k]! - emptyPoll.transactions * (d[`poll:${c}`] ?? 0);
      return d[k] ?? 0;
    };
    const cost: Record<string, number> = {};
    for (const k of Object.keys(deltas[0]!)) {
      if (!isPg(k) && !k.startsWith("poll:") && k !== "stream-messages")
        cost[k] = Math.max(0, Math.min(...deltas.map((d) => ownPart(d, k))));
    }
    cost["pg-commits"] = sumOf(cost, "tx:");
    this.snapshotCosts = cost;
    return cost;
  }

  /** The quiet system's background per second, over `seconds` (call on a quiesced system). */
  async idle(seconds: number): Promise<IdleRates> {
    const a = await this.snapshot();
    await sleep(seconds * 1000);
    const b = await this.snapshot();
    const d = this.net(a, b);
    const perSecond: Record<string, number> = {};
    for (const [k, x] of Object.entries(d)) {
      const s = (isPg(k) ? b.pgAt - a.pgAt : b.at - a.at) / 1000;
      perSecond[k] = Math.max(0, x / s);
    }
    return { seconds: round((b.at - a.at) / 1000, 1), perSecond };
  }

  /** Counter differences net of one snapshot's own cost and of the driver's reads. */
  private net(a: Snapshot, b: Snapshot): Record<string, number> {
    const d = diff(a, b);
    for (const k of Object.keys(d)) d[k]! -= this.snapshotCosts[k] ?? 0;
    d["pg-commits"]! -= d["driver-reads"] ?? 0;
    delete d["driver-reads"];
    return d;
  }

  /** The cost of `units` units of work done between `a` and `b` (flat per-unit counters, and structured). */
  cost(
    a: Snapshot,
    b: Snapshot,
    idle: IdleRates,
    units: number,
  ): { flat: Record<string, number>; cost: UnitCost; background: Record<string, number> } {
    const d = this.net(a, b);
    const background = this.background(d, idle, (b.at - a.at) / 1000, (b.pgAt - a.pgAt) / 1000);
    const flat: Record<string, number> = {};
    for (const [k, x] of Object.entries(d)) flat[k] = units > 0 ? (x - background[k]!) / units : Number.NaN;
    const share = (f: (v: Record<string, number>) => number) => {
      const gross = f(d);
      return gross > 0 ? round(f(background) / gross, 2) : Number.NaN;
    };
    const per = (x: number) => (units > 0 ? round(x / units, 1) : Number.NaN);
    const cost = structure(
      flat,
      units,
      {
        cpu: share((v) => sumOf(v, "cpu:")),
        statements: share((v) => sumOf(v, "stmt:")),
        pgTransactions: share((v) => v["pg-commits"] ?? 0),
        natsMessages: share((v) => (v["nats-sent"] ?? 0) + (v["nats-received"] ?? 0)),
      },
      {
        cpuMsBaedal: per(sumOf(d, "cpu:")),
        statements: per(sumOf(d, "stmt:")),
        transactions: per(sumOf(d, "tx:")),
        pgTransactions: per((d["pg-commits"] ?? 0) + (d["pg-rollbacks"] ?? 0)),
      },
    );
    return { flat, cost, background };
  }

  /** The idle background in a window of `seconds` (`pgSeconds` for Postgres' counters), per counter. */
  private background(
    d: Record<string, number>,
    idle: IdleRates,
    seconds: number,
    pgSeconds: number,
  ): Record<string, number> {
    const rate = (k: string) => idle.perSecond[k] ?? 0;
    const contextsOf = new Map(this.cluster.running().map((p) => [p.name, p.contexts]));
    // Empty polls made, and expected at the idle rate, by the given contexts.
    const polls = (contexts: readonly string[], prefix = "poll:") =>
      contexts.reduce(
        (acc, c) => ({ made: acc.made + (d[prefix + c] ?? 0), rate: acc.rate + rate(prefix + c) }),
        { made: 0, rate: 0 },
      );
    const out: Record<string, number> = {};
    for (const k of Object.keys(d)) {
      const [kind, name] = k.split(":") as [string, string | undefined];
      if ((kind === "stmt" || kind === "tx") && name !== undefined) {
        const each = kind === "stmt" ? emptyPoll.statements : emptyPoll.transactions;
        const p = polls([name]);
        out[k] = each * p.made + Math.max(0, rate(k) - each * p.rate) * seconds;
      } else if (kind === "cpu" && name !== undefined) {
        const p = polls(contextsOf.get(name) ?? []);
        out[k] = p.rate > 0 ? (rate(k) * p.made) / p.rate : rate(k) * seconds;
      } else if (k === "pg-commits") {
        const p = polls([...contextsOf.values()].flat(), "pg-poll:");
        out[k] = emptyPoll.transactions * p.made + Math.max(0, rate(k) - p.rate) * pgSeconds;
      } else {
        out[k] = rate(k) * (isPg(k) ? pgSeconds : seconds);
      }
    }
    return out;
  }
}

function diff(a: Snapshot, b: Snapshot): Record<string, number> {
  const d: Record<string, number> = {};
  for (const [k, x] of Object.entries(b.v)) d[k] = x - (a.v[k] ?? 0);
  return d;
}

/** The structured cost of flat per-unit counters (also used to add steps up to a lifecycle). */
export function structure(
  flat: Record<string, number>,
  units: number,
  backgroundShare: UnitCost["backgroundShare"],
  gross: UnitCost["gross"],
): UnitCost {
  const r1 = (x: number | undefined) => round(x ?? 0, 1);
  const by = (prefix: string) => {
    const byKey: Record<string, number> = {};
    for (const [k, x] of Object.entries(flat))
      if (k.startsWith(prefix)) byKey[k.slice(prefix.length)] = r1(x);
    return byKey;
  };
  return {
    units,
    gross,
    cpuMs: {
      byProcess: by("cpu:"),
      baedal: r1(sumOf(flat, "cpu:")),
      postgres: r1(flat["cpu-postgres"]),
      nats: r1(flat["cpu-nats"]),
      driver: r1(flat["cpu-driver"]),
    },
    statements: { byContext: by("stmt:"), total: r1(sumOf(flat, "stmt:")) },
    transactions: { byContext: by("tx:"), total: r1(sumOf(flat, "tx:")) },
    pg: {
      transactions: r1(flat["pg-commits"]! + (flat["pg-rollbacks"] ?? 0)),
      rollbacks: r1(flat["pg-rollbacks"]),
      rowsInserted: r1(flat["pg-inserted"]),
      rowsUpdated: r1(flat["pg-updated"]),
      rowsDeleted: r1(flat["pg-deleted"]),
    },
    nats: {
      sent: r1(flat["nats-sent"]),
      received: r1(flat["nats-received"]),
      streamMessages: r1(flat["stream-messages"]),
      rpcCalls: r1(flat["rpc-calls"]),
      eventsPublished: r1(flat["events-published"]),
      eventsHandled: r1(flat["events-handled"]),
    },
    backgroundShare,
  };
}
