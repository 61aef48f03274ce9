/**
 * Where a full order lifecycle's CPU goes in each context process. Every context runs in its own
 * process (as in the bench) under V8's CPU profiler and the SQL probe; the ordering load drives
 * full lifecycles (place → accept → cook → ready → call rider → rider accept → pick up → deliver)
 * for a warm-up, then for the measured window; then each process's profile is summarized over
 * that window (cpu-summary.ts) and its statements are counted by text, per delivered lifecycle.
 *
 *   node packages/api/scripts/build.mjs && node --import tsx bench/profile/lifecycle-profile.ts
 *     PROFILE_CLIENTS=16 PROFILE_S=60 PROFILE_WARM_S=15 PROFILE_CONTEXTS=order,store,…
 *     (TEST_DATABASE_URL, NATS_URL as for `npm run bench`; Postgres and NATS must be running; the
 *     processes run the build in packages/api/dist, hence the build first)
 *
 * Prints a text report and writes the summaries (JSON) and the raw .cpuprofile files (open them
 * in Chrome DevTools) into PROFILE_OUT (default: a fresh folder under the OS temp dir). The
 * profilers slow the processes: compare shares within a process, not absolute times.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { contextNames, seedDemo, type ContextName } from "@baedal/api/testing";
import { shopOrders } from "../lib/actors.js";
import { BenchCluster, repoRoot, waitUntil, type StartOptions } from "../lib/cluster.js";
import { CostMeter } from "../lib/cost-meter.js";
import { IdDirectory } from "../lib/directory.js";
import { OrderingLoad } from "../load/ordering.js";
import { round } from "../lib/stats.js";
import { summarizeCpuProfile, type CpuSummary } from "./cpu-summary.js";

interface SqlCount {
  sql: string;
  n: number;
  prisma: boolean;
  caller: string;
}

const env = process.env;
const clients = Number(env.PROFILE_CLIENTS ?? 16);
const seconds = Number(env.PROFILE_S ?? 60);
const warmSeconds = Number(env.PROFILE_WARM_S ?? 15);
const profiled = (env.PROFILE_CONTEXTS ? env.PROFILE_CONTEXTS.split(",") : [...contextNames]) as ContextName[];
const out = env.PROFILE_OUT ?? mkdtempSync(join(os.tmpdir(), "lifecycle-profile-"));
const sqlProbe = pathToFileURL(join(repoRoot, "bench", "profile", "sql-probe.mjs")).href;
const started = Date.now();
const log = (m: string) => console.log(`[profile ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${m}`);
const nowUs = () => Number(process.hrtime.bigint() / 1000n); // V8's profiles use the same clock

const cluster = new BenchCluster();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void cluster.teardown().finally(() => process.exit(130)));

async function bringUp(): Promise<void> {
  const opts: Partial<Record<ContextName, StartOptions>> = {};
  for (const c of profiled) {
    const dir = join(out, c);
    mkdirSync(dir, { recursive: true });
    opts[c] = { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", dir, "--import", sqlProbe], ipc: true };
  }
  await cluster.startAll(contextNames, opts);
  await seedDemo(cluster.databaseUrl, cluster.ns);
  const items = shopOrders.flatMap((s) => s.lines.map((l) => l.menuItemId));
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  await waitUntil(
    "order's catalog replica",
    async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ordering.menu_item_replicas WHERE menu_item_id = ANY($1::uuid[])`,
        [items],
      );
      return rows[0]!.n === items.length;
    },
    60_000,
  );
  await db.end();
}

const sqlCounts = async () =>
  Object.fromEntries(
    await Promise.all(
      profiled.map(async (c) => [c, (await cluster.ask<{ counts: SqlCount[] }>(c, "bench:sql")).counts] as const),
    ),
  );

function report(c: string, cpu: CpuSummary | null, cpuMsPerLifecycle: number, sql: SqlCount[], lifecycles: number) {
  const lines = [`\n=== ${c}: ${cpuMsPerLifecycle} CPU ms/lifecycle (from /proc); profiled busy ${cpu?.busyMs} ms of ${cpu?.wallMs} ms`];
  if (!cpu) return `${lines[0]}\n  (no profile)`;
  const pct = (xs: { group: string; percent: number }[], n: number) =>
    xs
      .slice(0, n)
      .map((g) => `${g.group} ${g.percent}%`)
      .join(" | ");
  lines.push(`  by package:  ${pct(cpu.byGroup, 14)}`);
  lines.push(`  by caller:   ${pct(cpu.byCaller, 12)}`);
  lines.push(`  by work:     ${pct(cpu.byWork, 12)}`);
  lines.push("  hottest (self):");
  for (const f of cpu.hottest.slice(0, 12)) lines.push(`    ${String(f.percent).padStart(5)}%  ${f.fn}  ${f.where}`);
  lines.push("  our functions (inclusive):");
  for (const f of cpu.ours.slice(0, 20)) lines.push(`    ${String(f.percent).padStart(5)}%  ${f.fn}  ${f.where}`);
  const total = sql.reduce((a, s) => a + s.n, 0);
  const viaPrisma = sql.filter((s) => s.prisma).reduce((a, s) => a + s.n, 0);
  lines.push(
    `  SQL: ${round(total / lifecycles, 1)} statements/lifecycle (${round(viaPrisma / lifecycles, 1)} through Prisma); top:`,
  );
  for (const s of sql.slice(0, 14))
    lines.push(
      `    ${String(round(s.n / lifecycles, 2)).padStart(6)}/lc ${s.prisma ? "P" : " "} ${s.sql.slice(0, 150)}${s.caller ? `  ← ${s.caller}` : ""}`,
    );
  return lines.join("\n");
}

try {
  log(`namespace ${cluster.ns}; profiles in ${out}; logs in ${cluster.logDir}`);
  await cluster.setup();
  await bringUp();
  log("ten context processes up, catalog seeded and synced");
  const directory = new IdDirectory(cluster.databaseUrl);
  const meter = new CostMeter(cluster, () => directory.queries);
  const load = new OrderingLoad(cluster, directory, meter, log, 0);
  await cluster.quiesce();
  await meter.calibrate();
  log(`warm-up: lifecycles at ${clients} clients for ${warmSeconds} s`);
  await load.lifecycleLevel(clients, warmSeconds);

  await sqlCounts(); // starts the probes' counts afresh
  const fromUs = nowUs();
  log(`measured: lifecycles at ${clients} clients for ${seconds} s`);
  const phase = await load.lifecycleLevel(clients, seconds);
  const toUs = nowUs();
  const sql = await sqlCounts();
  await load.close();
  await directory.close();
  log("stopping the processes (each writes its profile)");
  await cluster.stopAll();

  const lifecycles = Math.max(1, phase.delivered);
  const summaries: Record<string, CpuSummary | null> = {};
  const text: string[] = [
    `${phase.delivered} lifecycles delivered (${phase.deliveredPerSecond}/s), ${phase.errors.total} errors; ` +
      `${phase.cost.cpuMs.baedal} CPU ms/lifecycle in all processes; window ${round((toUs - fromUs) / 1e6, 1)} s ` +
      `(incl. the phase's idle measurement and drain)`,
  ];
  for (const c of profiled) {
    const f = readdirSync(join(out, c)).find((x) => x.endsWith(".cpuprofile"));
    summaries[c] = f ? summarizeCpuProfile(join(out, c, f), { fromUs, toUs }, 25) : null;
    text.push(report(c, summaries[c], phase.cost.cpuMs.byProcess[c] ?? Number.NaN, sql[c] ?? [], lifecycles));
  }
  writeFileSync(join(out, "summary.json"), JSON.stringify({ clients, seconds, window: { fromUs, toUs }, phase, cpu: summaries, sql }, null, 2));
  writeFileSync(join(out, "summary.txt"), text.join("\n") + "\n");
  console.log(text.join("\n"));
  log(`written: ${join(out, "summary.json")}, ${join(out, "summary.txt")}`);
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  await cluster.teardown().catch(() => undefined);
}
process.exit(process.exitCode ?? 0);
