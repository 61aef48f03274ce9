/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the process' CPU time went: self
 * time grouped by the package or part of Node that owns the function, and the hottest functions.
 */
import { readFileSync } from "node:fs";
import { round } from "../lib/stats.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface CpuSummary {
  /** Profiled wall time, ms. */
  wallMs: number;
  /** Time the process was on a CPU (not idle), ms. */
  busyMs: number;
  /** Share of busy time per group, percent. */
  byGroup: { group: string; ms: number; percent: number }[];
  hottest: { fn: string; where: string; ms: number; percent: number }[];
}

/** Which part of the stack a function belongs to, by its script URL. */
function groupOf(url: string, fn: string): string {
  if (!url) {
    if (fn === "(idle)") return "(idle)";
    if (fn === "(garbage collector)") return "garbage collection";
    if (fn === "(program)") return "V8/native (program)";
    return `native: ${fn}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg.startsWith("@prisma/") || pkg === "prisma") return "Prisma";
    if (
      pkg === "pg" ||
      pkg.startsWith("pg-") ||
      pkg === "postgres-array" ||
      pkg === "postgres-date" ||
      pkg === "pgpass"
    )
      return "pg driver";
    if (pkg.startsWith("@nats-io/")) return "NATS client";
    if (pkg.startsWith("@trpc/")) return "tRPC";
    if (pkg === "zod") return "zod (validation)";
    if (pkg === "jose") return "jose (JWT)";
    if (pkg === "tsx" || pkg === "esbuild" || pkg === "get-tsconfig") return "tsx loader";
    return pkg;
  }
  if (/\/generated\//.test(url)) return "Prisma";
  if (/packages\/events\//.test(url)) return "@baedal/events";
  if (/packages\/api\/src\/platform\//.test(url)) return "api platform";
  if (/packages\/api\/src\//.test(url)) return "api context code";
  if (
    /^node:(?:_http|http|net|stream|internal\/(?:http|streams|stream_base|net|js_stream))/.test(url) ||
    /_http_/.test(url)
  )
    return "Node HTTP/net/streams";
  if (url.startsWith("wasm://")) return "WebAssembly (Prisma query compiler)";
  if (url.startsWith("node:internal/source_map")) return "stack traces with source maps";
  if (url.startsWith("node:internal/deps/undici")) return "undici (Web Request/Response)";
  if (/^node:internal\/(async_hooks|async_local_storage)/.test(url))
    return "async context (AsyncLocalStorage)";
  if (/^node:internal\/(process\/task_queues|process\/promises|timers)/.test(url))
    return "Node promises, ticks, timers";
  if (url.startsWith("node:")) return "Node core (other)";
  return "other";
}

/**
 * `window` keeps only the samples taken between `fromEndMs` and `toEndMs` before the profile's
 * end (the load window, without start-up and shutdown).
 */
export function summarizeCpuProfile(
  file: string,
  window?: { fromEndMs: number; toEndMs: number },
  top = 15,
): CpuSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const lo = window ? p.endTime - window.fromEndMs * 1000 : Number.NEGATIVE_INFINITY;
  const hi = window ? p.endTime - window.toEndMs * 1000 : Number.POSITIVE_INFINITY;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = p.startTime;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i] ?? 0;
    if (at < lo || at > hi) continue;
    first = Math.min(first, at);
    last = Math.max(last, at);
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const groups = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const g = groupOf(url, functionName);
    totalUs += us;
    if (g === "(idle)") {
      idleUs += us;
      continue;
    }
    groups.set(g, (groups.get(g) ?? 0) + us);
    const where = url
      ? `${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/packages\//, "packages/")}:${lineNumber + 1}`
      : "";
    const key = `${functionName}@${where}`;
    const f = fns.get(key) ?? { fn: functionName || "(anonymous)", where, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => round((us / busyUs) * 100, 1);
  return {
    wallMs: round((last - first) / 1000, 0),
    busyMs: round(busyUs / 1000, 0),
    byGroup: [...groups.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([group, us]) => ({ group, ms: round(us / 1000, 0), percent: pct(us) })),
    hottest: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ fn: f.fn, where: f.where, ms: round(f.us / 1000, 0), percent: pct(f.us) })),
  };
}
