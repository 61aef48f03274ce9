/**
 * Readings of the running processes of a bench cluster: CPU and memory of each process with its
 * children (/proc), and their work counters (/metrics), summed.
 */
import type { BenchCluster } from "./cluster.js";
import { allProcs, tree } from "./proc-tree.js";
import { scrapeWork, type WorkCounters } from "./scrape.js";

/** CPU so far of each running process with its children (see proc-tree.ts), ms. */
export function cpuTrees(cluster: BenchCluster, procs = allProcs()): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of cluster.running())
    out[p.name] = tree(p.child.pid!, procs).reduce((ms, x) => ms + x.cpuMs + x.reapedCpuMs, 0);
  return out;
}

export interface ProcessRss {
  rssBytes: number;
  /** Children apart (tsx's esbuild service, a wrapper), as `ps` names them. */
  children: { command: string; rssBytes: number }[];
}

/** Resident memory of each running process, and of its children apart. */
export function memoryTrees(cluster: BenchCluster): Record<string, ProcessRss> {
  const procs = allProcs();
  const out: Record<string, ProcessRss> = {};
  for (const p of cluster.running()) {
    const [self, ...children] = tree(p.child.pid!, procs);
    if (!self) continue;
    out[p.name] = {
      rssBytes: self.rssBytes,
      children: children.map((c) => ({ command: c.comm, rssBytes: c.rssBytes })),
    };
  }
  return out;
}

/** The work counters of every running process, summed (statements, transactions, polls by context). */
export async function workCounters(cluster: BenchCluster): Promise<WorkCounters> {
  const all = await Promise.all(cluster.running().map((p) => scrapeWork(p.url, cluster.metricsToken)));
  const total: WorkCounters = {
    statements: {},
    transactions: {},
    emptyPolls: {},
    natsSent: 0,
    natsReceived: 0,
    rpcCalls: 0,
    eventsPublished: 0,
    eventsHandled: 0,
  };
  for (const w of all) {
    for (const k of ["natsSent", "natsReceived", "rpcCalls", "eventsPublished", "eventsHandled"] as const)
      total[k] += w[k];
    for (const k of ["statements", "transactions", "emptyPolls"] as const)
      for (const [c, v] of Object.entries(w[k])) total[k][c] = (total[k][c] ?? 0) + v;
  }
  return total;
}
