/**
 * Where place-order time goes. The order and payment processes are restarted with V8's CPU
 * profiler, and the order process also with the span probe; a place-only closed loop runs
 * against them; then the spans (wall time per request, by part) and the CPU profiles (CPU time
 * by package) are summarized. Runs last: the profilers slow the processes they watch.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, type BenchCluster } from "../lib/cluster.js";
import { sleep } from "../lib/stats.js";
import type { OrderingLoad, PlaceOnlyPhase } from "../load/ordering.js";
import { summarizeCpuProfile, type CpuSummary } from "./cpu-summary.js";
import { breakdown, type SpanBreakdown, type SpanRecord } from "./spans.js";

export interface PlaceOrderProfile {
  clients: number;
  load: PlaceOnlyPhase;
  /** One client: each request alone, every statement attributed to it. */
  single: SpanBreakdown;
  /** `clients` clients: the same request under contention (see spans.ts on attribution). */
  spans: SpanBreakdown;
  cpu: { order: CpuSummary | null; payment: CpuSummary | null };
}

const spansProbe = pathToFileURL(join(repoRoot, "bench", "profile", "spans-probe.mjs")).href;

export async function profilePlaceOrder(
  cluster: BenchCluster,
  load: OrderingLoad,
  opts: { clients: number; seconds: number; singleSeconds: number; log: (m: string) => void },
): Promise<PlaceOrderProfile> {
  const dirs = {
    order: mkdtempSync(join(os.tmpdir(), "bench-prof-order-")),
    payment: mkdtempSync(join(os.tmpdir(), "bench-prof-payment-")),
  };
  const cpuProf = (dir: string) => ["--cpu-prof", "--cpu-prof-dir", dir];
  await cluster.stop("order");
  await cluster.stop("payment");
  await cluster.start("payment", { nodeArgs: cpuProf(dirs.payment) });
  // From source: the spans probe patches our own classes, which the build bundles out of reach.
  await cluster.start("order", { nodeArgs: [...cpuProf(dirs.order), "--import", spansProbe], ipc: true, fromSource: true });

  // Warm up: first until orders go through again (a freshly started payment process compiles its
  // queries on the first calls, and the order process' breaker may open meanwhile), then under
  // load (JIT, pools); what the warm-up recorded is dropped.
  const warmDeadline = Date.now() + 60_000;
  while (Date.now() < warmDeadline) {
    const r = await load.placeOnly(1, 1, { drain: false, quiet: true });
    if (r.placed > 0 && r.errors.total === 0) break;
    await sleep(1_000);
  }
  await load.placeOnly(opts.clients, 3, { drain: false, quiet: true });
  await cluster.ask("order", "bench:spans");
  await load.placeOnly(1, opts.singleSeconds, { drain: false });
  const single = breakdown((await cluster.ask<{ records: SpanRecord[] }>("order", "bench:spans")).records);
  const measureStart = Date.now();
  const measured = await load.placeOnly(opts.clients, opts.seconds, { drain: false });
  const { records } = await cluster.ask<{ records: SpanRecord[] }>("order", "bench:spans");

  // A graceful stop writes the CPU profiles; only the samples of the measured window count.
  const stopSent = Date.now();
  await Promise.all([cluster.stop("order"), cluster.stop("payment")]);
  const exited = Date.now();
  const window = { fromEndMs: exited - measureStart, toEndMs: exited - stopSent };
  const profileIn = (dir: string) => {
    const f = readdirSync(dir).find((x) => x.endsWith(".cpuprofile"));
    return f ? summarizeCpuProfile(join(dir, f), window) : null;
  };
  const result: PlaceOrderProfile = {
    clients: opts.clients,
    load: measured,
    single,
    spans: breakdown(records),
    cpu: { order: profileIn(dirs.order), payment: profileIn(dirs.payment) },
  };
  opts.log(
    `  profile x${opts.clients}: ${result.spans.requests} requests, server time p50 ${result.spans.serverTime.p50} ms; ` +
      `top: ${result.spans.parts
        .slice(0, 3)
        .map((p) => `${p.part} ${p.percent}%`)
        .join(", ")}`,
  );
  return result;
}
