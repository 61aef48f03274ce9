/**
 * CPU time of the shared services and of the whole machine, from /proc, so a report can say
 * where the time went (contexts, Postgres, NATS, the driver) and how busy the machine was.
 * Postgres and NATS serve other users of this machine too: their figures are upper bounds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { procSample } from "./cluster.js";

export interface MachineSample {
  /** Busy (non-idle) CPU time of the whole machine, ms. */
  busyMs: number;
  /** Wall time covered by the counters, ms (all CPUs). */
  totalMs: number;
  postgresMs: number;
  natsMs: number;
  driverMs: number;
}

const clockTicks = 100;

function cpuOfCommands(names: string[]): number {
  let ms = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (names.some((n) => comm.startsWith(n))) ms += procSample(Number(pid)).cpuMs;
    } catch {
      // the process exited meanwhile
    }
  }
  return ms;
}

export function machineSample(): MachineSample {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  const usage = process.cpuUsage();
  return {
    busyMs: ((total - idle) * 1000) / clockTicks,
    totalMs: (total * 1000) / clockTicks,
    postgresMs: cpuOfCommands(["postgres"]),
    natsMs: cpuOfCommands(["nats-server"]),
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
