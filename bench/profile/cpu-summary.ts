/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the process' CPU time went: self
 * time grouped by the package or part of Node that owns the function, the same time attributed
 * to the nearest caller in a package or in our code (who made Node write to a socket, run
 * microtasks…), the hottest functions, and the inclusive time of our own functions. Frames of
 * the build (packages/api/dist) are mapped back to their TypeScript source through its source maps.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { round } from "../lib/stats.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
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
  /**
   * The same time, Node's and V8's own work (sockets, streams, promises, async hooks, native
   * calls) counted under the nearest caller that is a package or our code.
   */
  byCaller: { group: string; ms: number; percent: number }[];
  /**
   * The same time by the work on the stack (the first rule that matches any frame): serving
   * HTTP, handling events, relaying the outbox… Work resumed after an `await` has lost its
   * caller's frames: database client work resumed so lands under "Prisma/pg (resumed)".
   */
  byWork: { group: string; ms: number; percent: number }[];
  hottest: { fn: string; where: string; ms: number; percent: number }[];
  /** Our own functions (packages/api/src, packages/events/src) by inclusive time. */
  ours: { fn: string; where: string; ms: number; percent: number }[];
}

/**
 * Which profile samples count: `fromEndMs`/`toEndMs` before the profile's end, or an absolute
 * window in microseconds of the monotonic clock (`process.hrtime`), which V8's profile shares.
 */
export type ProfileWindow = { fromEndMs: number; toEndMs: number } | { fromUs: number; toUs: number };

/** Groups for Node's and V8's own work: `byCaller` looks past them for who asked for it. */
const runtimeGroups = new Set([
  "V8/native (program)",
  "Node HTTP/net/streams",
  "Node promises, ticks, timers",
  "async context (AsyncLocalStorage)",
  "Node core (other)",
  "undici (Web Request/Response)",
  "stack traces with source maps",
]);
const isRuntime = (g: string) => runtimeGroups.has(g) || g.startsWith("native: ");

/** `byWork`: the first rule with a frame on the stack whose "function url" matches names the work. */
const workRules: [string, RegExp][] = [
  ["metrics scrape", /observability\/collectors\.ts|node_modules\/prom-client\//],
  ["HTTP/tRPC request", /platform\/http\.ts|observability\/http-traffic\.ts|@trpc\/|^\S* node:_http_server/],
  ["event consumer", /events\/src\/consumer\.ts/],
  ["outbox relay", /events\/src\/outbox\.ts/],
  ["NATS RPC", /events\/src\/rpc\.ts/],
  ["live feed / SSE", /platform\/sse\.ts|platform\/live-feed\.ts|events\/src\/live\.ts/],
  ["Prisma/pg (resumed)", /@prisma\/|\/generated\/|node_modules\/pg(-[a-z]+)?\/|^\S* wasm:/],
  ["NATS client (resumed)", /@nats-io\//],
  ["garbage collection", /^\(garbage collector\) $/],
];

/** Which part of the stack a function belongs to, by its script URL. */
function groupOf(url: string, fn: string): string {
  if (!url) {
    if (fn === "(idle)") return "(idle)";
    if (fn === "(garbage collector)") return "garbage collection";
    if (fn === "(program)") return "V8/native (program)";
    if (fn === "(root)") return "(root)";
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
    if (pkg.startsWith("@opentelemetry/")) return "OpenTelemetry";
    if (pkg === "pino" || pkg.startsWith("pino-") || pkg === "sonic-boom") return "pino (logging)";
    if (pkg === "tsx" || pkg === "esbuild" || pkg === "get-tsconfig") return "tsx loader";
    return pkg;
  }
  if (/\/generated\//.test(url)) return "Prisma";
  if (/bench\/profile\//.test(url)) return "bench probe";
  if (/packages\/events\//.test(url)) return "@baedal/events";
  if (/packages\/api\/src\/platform\//.test(url)) return "api platform";
  if (/packages\/api\/src\//.test(url)) return "api context code";
  if (/packages\/api\/dist\//.test(url)) return "api build (unmapped)";
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

/** Maps frames of the build back to the TypeScript they came from (linked source maps). */
class SourceMaps {
  private readonly maps = new Map<string, { map: SourceMap; dir: string } | null>();

  resolve(url: string, line: number, column: number): { url: string; line: number } {
    if (!/packages\/api\/dist\/.*\.js$/.test(url)) return { url, line };
    const file = url.startsWith("file:") ? fileURLToPath(url) : url;
    let m = this.maps.get(file);
    if (m === undefined) {
      const mapFile = `${file}.map`;
      m = existsSync(mapFile)
        ? { map: new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))), dir: dirname(mapFile) }
        : null;
      this.maps.set(file, m);
    }
    const e = m?.map.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    if (!m || !e?.originalSource) return { url, line };
    const src = e.originalSource.startsWith("file:")
      ? fileURLToPath(e.originalSource)
      : resolve(m.dir, e.originalSource);
    return { url: src, line: e.originalLine ?? line };
  }
}

const shortWhere = (url: string, line: number) =>
  url
    ? `${url
        .replace(/^.*node_modules\//, "")
        .replace(/^(?:file:\/\/)?\/.*?\/(packages|bench)\//, "$1/")}:${line + 1}`
    : "";

export function summarizeCpuProfile(file: string, window?: ProfileWindow, top = 15): CpuSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  if (window && "fromUs" in window) [lo, hi] = [window.fromUs, window.toUs];
  else if (window) [lo, hi] = [p.endTime - window.fromEndMs * 1000, p.endTime - window.toEndMs * 1000];

  const maps = new SourceMaps();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frames = new Map<number, { fn: string; url: string; line: number; group: string; key: string }>();
  const frameOf = (id: number) => {
    let f = frames.get(id);
    if (!f) {
      const { functionName, url: raw, lineNumber, columnNumber } = byId.get(id)!.callFrame;
      const { url, line } = maps.resolve(raw, lineNumber, columnNumber ?? 0);
      const fn = functionName || "(anonymous)";
      f = { fn, url, line, group: groupOf(url, functionName), key: `${fn}@${shortWhere(url, line)}` };
      frames.set(id, f);
    }
    return f;
  };
  /** The nearest frame (itself or a caller) that is not Node's or V8's own work. */
  const callerGroup = new Map<number, string>();
  const callerOf = (id: number): string => {
    const known = callerGroup.get(id);
    if (known) return known;
    const own = frameOf(id).group;
    let g = own;
    if (isRuntime(own)) {
      const up = parent.get(id);
      const above = up === undefined ? "(root)" : callerOf(up);
      g = above === "(root)" ? own : above;
    }
    callerGroup.set(id, g);
    return g;
  };

  const workOf = new Map<number, string>();
  const work = (id: number): string => {
    let w = workOf.get(id);
    if (w === undefined) {
      const stack: string[] = [];
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const f = frameOf(n);
        stack.push(`${f.fn} ${f.url}`);
      }
      w = workRules.find(([, re]) => stack.some((x) => re.test(x)))?.[0] ?? "other";
      workOf.set(id, w);
    }
    return w;
  };

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
  const callers = new Map<string, number>();
  const works = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  const inclusive = new Map<string, { fn: string; where: string; us: number }>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const f = frameOf(id);
    totalUs += us;
    if (f.group === "(idle)") {
      idleUs += us;
      continue;
    }
    groups.set(f.group, (groups.get(f.group) ?? 0) + us);
    const c = callerOf(id);
    callers.set(c, (callers.get(c) ?? 0) + us);
    const w = work(id);
    works.set(w, (works.get(w) ?? 0) + us);
    const e = fns.get(f.key) ?? { fn: f.fn, where: shortWhere(f.url, f.line), us: 0 };
    e.us += us;
    fns.set(f.key, e);
    // Each of our functions on the stack once (recursion would count it twice).
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const a = frameOf(n);
      if (!/packages\/(api|events)\/src\//.test(a.url) || /\/generated\//.test(a.url) || seen.has(a.key))
        continue;
      seen.add(a.key);
      const x = inclusive.get(a.key) ?? { fn: a.fn, where: shortWhere(a.url, a.line), us: 0 };
      x.us += us;
      inclusive.set(a.key, x);
    }
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => round((us / busyUs) * 100, 1);
  const ranked = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([group, us]) => ({ group, ms: round(us / 1000, 0), percent: pct(us) }));
  const topFns = (m: Map<string, { fn: string; where: string; us: number }>, n: number) =>
    [...m.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, n)
      .map((f) => ({ fn: f.fn, where: f.where, ms: round(f.us / 1000, 0), percent: pct(f.us) }));
  return {
    wallMs: round((last - first) / 1000, 0),
    busyMs: round(busyUs / 1000, 0),
    byGroup: ranked(groups),
    byCaller: ranked(callers),
    byWork: ranked(works),
    hottest: topFns(fns, top),
    ours: topFns(inclusive, top * 2),
  };
}
