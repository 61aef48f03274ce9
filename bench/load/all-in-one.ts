/**
 * The same full-lifecycle load against every context in ONE process (`main.ts all`), as one small
 * district would run on one box: the split processes are stopped, the combined process starts on
 * the same database and NATS namespace (it takes over the same durable consumers), and new
 * customers drive it. Reported beside the split mode.
 */
import type { BenchCluster } from "../lib/cluster.js";
import { CostMeter } from "../lib/cost-meter.js";
import type { IdDirectory } from "../lib/directory.js";
import { idleFigures, memoryFigures, type IdleFigures, type ProcessMemory } from "./footprint.js";
import { OrderingLoad, type LifecyclePhase } from "./ordering.js";

export interface AllInOne {
  startedInMs: number;
  idle: IdleFigures;
  memory: Record<string, ProcessMemory>;
  totalRssMiB: number;
  levels: { clients: number; lifecycle: LifecyclePhase }[];
  notes: string[];
}

export async function allInOne(
  cluster: BenchCluster,
  directory: IdDirectory,
  opts: {
    levels: number[];
    seconds: number;
    warmUpSeconds: number;
    idleSeconds: number;
    settleSeconds: number;
    log: (m: string) => void;
  },
): Promise<AllInOne> {
  await cluster.stopAll();
  const p = await cluster.startAllInOne();
  opts.log(`  main.ts all: healthy ${p.startedInMs} ms after spawn`);
  const meter = new CostMeter(cluster, () => directory.queries);
  await cluster.quiesce();
  await meter.calibrate();
  const idle = await idleFigures(cluster, meter, opts.idleSeconds, opts.settleSeconds);
  const { memory, totalRssMiB } = memoryFigures(cluster);
  const load = new OrderingLoad(cluster, directory, meter, opts.log, opts.settleSeconds);
  const notes: string[] = [];
  const levels: AllInOne["levels"] = [];
  try {
    // Like the split mode's levels, which come after the step probe: JIT and pools warm first.
    await load.lifecycleLevel(Math.min(4, Math.max(...opts.levels)), opts.warmUpSeconds);
    for (const clients of opts.levels) {
      opts.log(`  main.ts all: ${clients} client(s)`);
      try {
        levels.push({ clients, lifecycle: await load.lifecycleLevel(clients, opts.seconds) });
      } catch (err) {
        notes.push(`main.ts all at ${clients} client(s) failed: ${String(err).slice(0, 300)}`);
      }
    }
  } finally {
    await load.close();
  }
  return { startedInMs: p.startedInMs, idle, memory, totalRssMiB, levels, notes };
}
