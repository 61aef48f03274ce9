/**
 * What the system costs before anyone orders: how long each process takes from spawn to healthy,
 * what it holds in memory when idle (a tsx wrapper or an esbuild service, if a process has such
 * children, apart), and what the idle system keeps doing — Postgres transactions, statements,
 * NATS messages and CPU per second, net of the bench's own snapshots.
 */
import type { ContextName } from "@baedal/api/testing";
import type { BenchCluster } from "../lib/cluster.js";
import type { CostMeter } from "../lib/cost-meter.js";
import { memoryTrees } from "../lib/readings.js";
import { round } from "../lib/stats.js";

export interface IdleFigures {
  seconds: number;
  /** pg_stat_database commits + rollbacks of the bench database, per second. */
  pgTransactionsPerSecond: number;
  /** As the processes count them on their pools, per second. */
  statementsPerSecond: number;
  transactionsPerSecond: number;
  natsMessagesPerSecond: number;
  /** % of one core, per process and for all of them. */
  cpuPercent: Record<string, number>;
  baedalCpuPercent: number;
}

export interface ProcessMemory {
  rssMiB: number;
  children: { command: string; rssMiB: number }[];
}

export interface Footprint {
  /** Spawn → healthy of each process, all started at once (as a deploy or `npm start` does). */
  startedInMs: Record<string, number>;
  maxStartMs: number;
  /** Spawn → healthy of a process restarted on its own while the rest ran and idled. */
  aloneStartMs: Record<string, number>;
  maxAloneStartMs: number;
  idle: IdleFigures;
  /** Resident memory of each process after the idle period. */
  memory: Record<string, ProcessMemory>;
  totalRssMiB: number;
}

const mib = (bytes: number) => round(bytes / 2 ** 20, 1);
const sumWhere = (v: Record<string, number>, prefix: string) =>
  Object.entries(v)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((a, [, x]) => a + x, 0);

/** The quiet system over `seconds` (quiesced first, then Postgres' reporting delay let pass). */
export async function idleFigures(
  cluster: BenchCluster,
  meter: CostMeter,
  seconds: number,
  settleSeconds: number,
): Promise<IdleFigures> {
  await cluster.quiesce();
  await new Promise((r) => setTimeout(r, settleSeconds * 1000));
  const idle = await meter.idle(seconds);
  const r = idle.perSecond;
  const cpuPercent: Record<string, number> = {};
  for (const [k, x] of Object.entries(r)) if (k.startsWith("cpu:")) cpuPercent[k.slice(4)] = round(x / 10, 1);
  return {
    seconds: idle.seconds,
    pgTransactionsPerSecond: round((r["pg-commits"] ?? 0) + (r["pg-rollbacks"] ?? 0), 1),
    statementsPerSecond: round(sumWhere(r, "stmt:"), 1),
    transactionsPerSecond: round(sumWhere(r, "tx:"), 1),
    natsMessagesPerSecond: round((r["nats-sent"] ?? 0) + (r["nats-received"] ?? 0), 1),
    cpuPercent,
    baedalCpuPercent: round(sumWhere(r, "cpu:") / 10, 1),
  };
}

export function memoryFigures(cluster: BenchCluster): {
  memory: Record<string, ProcessMemory>;
  totalRssMiB: number;
} {
  const memory: Record<string, ProcessMemory> = {};
  let total = 0;
  for (const [name, m] of Object.entries(memoryTrees(cluster))) {
    memory[name] = {
      rssMiB: mib(m.rssBytes),
      children: m.children.map((c) => ({ command: c.command, rssMiB: mib(c.rssBytes) })),
    };
    total += m.rssBytes + m.children.reduce((a, c) => a + c.rssBytes, 0);
  }
  return { memory, totalRssMiB: mib(total) };
}

/** Restarts each of `names` on its own (graceful stop, then start), one after the other. */
export async function aloneStarts(
  cluster: BenchCluster,
  names: readonly ContextName[],
  log: (m: string) => void,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of names) {
    await cluster.stop(name);
    out[name] = (await cluster.start(name)).startedInMs;
  }
  log(
    `  alone, spawn → healthy: ${Object.entries(out)
      .map(([n, ms]) => `${n} ${ms} ms`)
      .join(", ")}`,
  );
  return out;
}

export const maxOf = (v: Record<string, number>) => {
  const xs = Object.values(v).filter(Number.isFinite);
  return xs.length ? Math.max(...xs) : Number.NaN;
};
