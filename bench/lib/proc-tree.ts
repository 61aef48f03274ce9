/**
 * Processes as /proc shows them, and the CPU of a whole process tree. A tree's CPU is what its
 * live members used plus what their exited children used (utime + stime + cutime + cstime): it
 * keeps growing across a child's exit instead of dropping, so a difference of two readings is
 * the CPU the tree used in between even when processes came and went.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** Own CPU (user + system), ms. */
  cpuMs: number;
  /** CPU of exited children this process waited for, ms. */
  reapedCpuMs: number;
  rssBytes: number;
}

const clockTicks = 100; // USER_HZ on Linux
const pageBytes = 4096;

function readStat(pid: number): ProcStat | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null; // exited meanwhile
  }
  // The command name may contain spaces: fields after it start after the last ')'.
  const close = stat.lastIndexOf(")");
  const comm = stat.slice(stat.indexOf("(") + 1, close);
  const f = stat
    .slice(close + 2)
    .split(" ")
    .map(Number);
  const ms = (ticks: number) => (ticks * 1000) / clockTicks;
  return {
    pid,
    ppid: f[1]!,
    comm,
    cpuMs: ms(f[11]! + f[12]!),
    reapedCpuMs: ms(f[13]! + f[14]!),
    rssBytes: f[21]! * pageBytes,
  };
}

/** Every process on the machine. */
export function allProcs(): ProcStat[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => readStat(Number(d)) ?? []);
}

/** The process and all its live descendants. */
export function tree(root: number, procs: ProcStat[] = allProcs()): ProcStat[] {
  const byParent = new Map<number, ProcStat[]>();
  for (const p of procs) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const self = procs.find((p) => p.pid === root);
  if (!self) return [];
  const out = [self];
  for (let i = 0; i < out.length; i++) out.push(...(byParent.get(out[i]!.pid) ?? []));
  return out;
}

/** CPU of a process tree so far, ms (see the file comment). */
export function treeCpuMs(root: number, procs: ProcStat[] = allProcs()): number {
  return tree(root, procs).reduce((ms, p) => ms + p.cpuMs + p.reapedCpuMs, 0);
}

/** CPU (own + reaped children) of every process whose command starts with one of `names`, ms. */
export function cpuOfCommands(names: string[], procs: ProcStat[] = allProcs()): number {
  return procs
    .filter((p) => names.some((n) => p.comm.startsWith(n)))
    .reduce((ms, p) => ms + p.cpuMs + p.reapedCpuMs, 0);
}
