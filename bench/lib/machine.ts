/**
 * CPU time of the shared services and of the whole machine, from /proc, so a report can say
 * where the time went (contexts, Postgres, NATS, the driver) and how busy the machine was.
 * Postgres and NATS serve other users of this machine too: their figures are upper bounds.
 */
import os from "node:os";
import { readFileSync } from "node:fs";
import { allProcs, cpuOfCommands, treeCpuMs } from "./proc-tree.js";

export interface MachineSample {
  /** Busy (non-idle) CPU time of the whole machine, ms. */
  busyMs: number;
  /** Wall time covered by the counters, ms (all CPUs). */
  totalMs: number;
  /** Postgres and NATS include their exited children (backends that came and went). */
  postgresMs: number;
  natsMs: number;
  driverMs: number;
}

const clockTicks = 100;

function machineCpu(): { busyMs: number; totalMs: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busyMs: ((total - idle) * 1000) / clockTicks, totalMs: (total * 1000) / clockTicks };
}

export function machineSample(): MachineSample {
  const procs = allProcs();
  const usage = process.cpuUsage();
  return {
    ...machineCpu(),
    postgresMs: cpuOfCommands(["postgres"], procs),
    natsMs: cpuOfCommands(["nats-server"], procs),
    driverMs: (usage.user + usage.system) / 1000,
  };
}

/** CPU use between two samples, in percent of one core, per consumer of CPU. */
export function cpuBetween(
  a: { machine: MachineSample; procs: Record<string, { cpuMs: number }> },
  b: { machine: MachineSample; procs: Record<string, { cpuMs: number }> },
  wallMs: number,
): Record<string, number> {
  const pct = (ms: number) => Math.round((ms / wallMs) * 100);
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(b.procs)) {
    const before = a.procs[name];
    if (before) out[name] = pct(s.cpuMs - before.cpuMs);
  }
  out.postgres = pct(b.machine.postgresMs - a.machine.postgresMs);
  out.nats = pct(b.machine.natsMs - a.machine.natsMs);
  out.driver = pct(b.machine.driverMs - a.machine.driverMs);
  out.machineBusy = pct(b.machine.busyMs - a.machine.busyMs);
  out.machineCapacity = pct(b.machine.totalMs - a.machine.totalMs);
  return out;
}

/** How busy the machine is, and how much of it is this bench run (the driver and everything it started). */
export interface ActivitySample {
  at: number;
  loadAverage: number[];
  busyMs: number;
  totalMs: number;
  baedalMs: number;
  postgresMs: number;
  natsMs: number;
}

export function activitySample(): ActivitySample {
  const procs = allProcs();
  return {
    at: Date.now(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    ...machineCpu(),
    baedalMs: treeCpuMs(process.pid, procs),
    postgresMs: cpuOfCommands(["postgres"], procs),
    natsMs: cpuOfCommands(["nats-server"], procs),
  };
}

/**
 * Whether the run was quiet: CPU over the whole run in % of one core (the machine has
 * `cpus` × 100 %). "others" is what neither this run's processes nor Postgres and NATS used;
 * Postgres and NATS serve other users of the machine too.
 */
export interface MachineBusyness {
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  seconds: number;
  capacityPercent: number;
  busyPercent: number;
  baedalPercent: number;
  postgresPercent: number;
  natsPercent: number;
  othersPercent: number;
  /** Everything but the run's own processes (Postgres and NATS included), in CPU seconds. */
  nonBaedalCpuSeconds: number;
}

export function busyness(a: ActivitySample, b: ActivitySample): MachineBusyness {
  const wallMs = b.at - a.at;
  const pct = (ms: number) => Math.round((ms / wallMs) * 1000) / 10;
  const busy = b.busyMs - a.busyMs;
  const baedal = b.baedalMs - a.baedalMs;
  const postgres = b.postgresMs - a.postgresMs;
  const nats = b.natsMs - a.natsMs;
  return {
    loadAverageAtStart: a.loadAverage,
    loadAverageAtEnd: b.loadAverage,
    seconds: Math.round(wallMs / 1000),
    capacityPercent: pct(b.totalMs - a.totalMs),
    busyPercent: pct(busy),
    baedalPercent: pct(baedal),
    postgresPercent: pct(postgres),
    natsPercent: pct(nats),
    othersPercent: pct(Math.max(0, busy - baedal - postgres - nats)),
    nonBaedalCpuSeconds: Math.round(Math.max(0, busy - baedal) / 100) / 10,
  };
}
