/**
 * `npm run bench` (through bench/start.mjs): how fast Baedal is, where its time goes, and how
 * close it runs to what this machine allows — in one bounded run, on production-like processes
 * (every context its own OS process) in a database and NATS namespace of its own.
 *
 *   1. baselines  raw NATS, raw Postgres, bare Node HTTP (the machine's limits), in the bench's
 *                 database and namespace before any context process runs
 *   2. bring-up   start the ten contexts (spawn → healthy of each), seed the demo catalog
 *   3. footprint  the idle system: Postgres transactions/s, statements, NATS messages, CPU, RSS
 *                 per process; then each context restarted alone (spawn → healthy)
 *   4. steps      N orders driven one step at a time: what each step costs (lib/cost-meter.ts)
 *   5. ordering   closed loop at each load level: full lifecycles (and what one costs), then
 *                 placing only
 *   6. fan-out    1,000 and 5,000 My page streams: memory, idle CPU, delivery delay
 *   7. profile    place-order spans and CPU profiles of order and payment
 *   8. all-in-one the lifecycle levels again against `main.ts all` (every context in one process)
 *   9. report     bench/results/<date>.{json,md,svg} (compared with the previous results file),
 *                 and the table in README.md
 *
 * Nothing here asserts a timing. Knobs (for a quick try: BENCH_QUICK=1): BENCH_LEVELS=1,8,32,128
 * BENCH_LIFECYCLE_S, BENCH_PLACE_S, BENCH_FANOUT=1000,5000, BENCH_FANOUT_ORDERS, BENCH_PROFILE_S,
 * BENCH_STEP_ORDERS, BENCH_ALL_LEVELS=8,32, BENCH_IDLE_S, BENCH_PG_SETTLE_S,
 * BENCH_SKIP=fanout,profile,steps,alone,all, BENCH_HEAP_DIFF=1 (what a stream's heap consists of;
 * disturbs the RSS figure).
 */
import { execSync } from "node:child_process";
import os from "node:os";
import type { ContextName } from "@baedal/api/testing";
import { httpBaseline } from "./baseline/http.js";
import { natsBaseline } from "./baseline/nats.js";
import { postgresBaseline } from "./baseline/postgres.js";
import { prismaBaseline } from "./baseline/prisma.js";
import { shopOrders } from "./lib/actors.js";
import { BenchCluster, contextNodeVersion, memoryProbeArgs, waitUntil } from "./lib/cluster.js";
import { CostMeter } from "./lib/cost-meter.js";
import { IdDirectory } from "./lib/directory.js";
import { activitySample, busyness } from "./lib/machine.js";
import { allInOne, type AllInOne } from "./load/all-in-one.js";
import { LiveFanout, type FanoutLevel } from "./load/fanout.js";
import { aloneStarts, idleFigures, maxOf, memoryFigures, type Footprint } from "./load/footprint.js";
import { OrderingLoad, type LoadLevel } from "./load/ordering.js";
import { stepProbe, type StepProbe } from "./load/step-probe.js";
import { profilePlaceOrder, type PlaceOrderProfile } from "./profile/place-order.js";
import { writeReports } from "./report/write.js";
import { computeRatios, type BenchResults } from "./report/results.js";
import { contextNames, seedDemo } from "@baedal/api/testing";

const quick = process.env.BENCH_QUICK === "1";
const list = (v: string | undefined, d: number[]) =>
  v
    ? v
        .split(",")
        .map(Number)
        .filter((x) => x > 0)
    : d;
const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
const skip = new Set((process.env.BENCH_SKIP ?? "").split(","));

const config = {
  levels: list(process.env.BENCH_LEVELS, quick ? [1, 8] : [1, 8, 32, 128]),
  lifecycleSeconds: num(process.env.BENCH_LIFECYCLE_S, quick ? 5 : 20),
  placeSeconds: num(process.env.BENCH_PLACE_S, quick ? 4 : 10),
  fanout: list(process.env.BENCH_FANOUT, quick ? [200, 500] : [1000, 5000]),
  // Every subscriber places one order and follows it, unless capped here.
  fanoutOrders: num(process.env.BENCH_FANOUT_ORDERS, quick ? 100 : 5000),
  fanoutPlaceClients: 16,
  fanoutIdleSeconds: quick ? 5 : 15,
  fanoutMaxDeliverySeconds: quick ? 20 : 60,
  profileClients: num(process.env.BENCH_PROFILE_CLIENTS, 32),
  profileSeconds: num(process.env.BENCH_PROFILE_S, quick ? 4 : 10),
  // Postgres here allows 100 connections, shared with the contexts' pools and other users.
  pgConnections: [1, 8, 32],
  pgSeconds: quick ? 2 : 4,
  httpClients: [32, 128],
  httpSeconds: quick ? 2 : 4,
  natsPublishSeconds: quick ? 2 : 4,
  natsRoundTrips: quick ? 1000 : 3000,
  // The idle system after bring-up; Postgres' statistics lag up to 10 s (PGSTAT_IDLE_INTERVAL).
  idleSeconds: num(process.env.BENCH_IDLE_S, quick ? 10 : 20),
  pgSettleSeconds: num(process.env.BENCH_PG_SETTLE_S, 10.5),
  aloneStarts: (quick ? ["order", "mypage"] : [...contextNames]) as ContextName[],
  stepOrders: num(process.env.BENCH_STEP_ORDERS, quick ? 8 : 40),
  stepConcurrency: 8,
  stepIdleSeconds: quick ? 6 : 12,
  allLevels: list(process.env.BENCH_ALL_LEVELS, quick ? [8] : [8, 32]),
  allWarmUpSeconds: quick ? 3 : 6,
};

const started = Date.now();
const log = (m: string) =>
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${m}`);

// The run stops by itself whatever happens: a hard limit well above the expected ~17 minutes.
const watchdog = setTimeout(() => {
  log("watchdog: the run exceeded 40 minutes; stopping");
  void cluster.teardown().finally(() => process.exit(2));
}, 40 * 60_000);
watchdog.unref();

const cluster = new BenchCluster();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: cleaning up`);
    void cluster.teardown().finally(() => process.exit(130));
  });
}

function gitInfo() {
  try {
    const commit = execSync("git rev-parse HEAD", { encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain", { encoding: "utf8" }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: true };
  }
}

async function bringUp(): Promise<Record<string, number>> {
  await cluster.startAll(contextNames, { mypage: { nodeArgs: memoryProbeArgs, ipc: true } });
  const startedInMs = Object.fromEntries([...cluster.processes.values()].map((p) => [p.name, p.startedInMs]));
  log(`started ${contextNames.length} context processes, slowest healthy after ${maxOf(startedInMs)} ms`);
  await seedDemo(cluster.databaseUrl, cluster.ns);
  // The catalog reaches order through events: wait until every cart the driver uses is priced.
  const items = shopOrders.flatMap((s) => s.lines.map((l) => l.menuItemId));
  const pg = (await import("pg")).default;
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  db.on("error", () => undefined);
  await db.connect();
  await waitUntil(
    "order's catalog replica",
    async () => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM ordering.menu_item_replicas WHERE menu_item_id = ANY($1::uuid[])`,
        [items],
      );
      return rows[0].n === items.length;
    },
    60_000,
  );
  await db.end();
  log("demo catalog seeded and synced");
  return startedInMs;
}

const notes: string[] = [];

async function main(): Promise<void> {
  const activityAtStart = activitySample();
  const loadAverageAtStart = activityAtStart.loadAverage;
  log(`namespace ${cluster.ns}, database ${cluster.dbName}, logs in ${cluster.logDir}`);
  await cluster.setup();

  // The machine's limits first, while no context process runs (nothing boots or polls meanwhile).
  log("baselines: NATS");
  const nats = await natsBaseline(cluster.natsUrl, {
    publishSeconds: config.natsPublishSeconds,
    roundTrips: config.natsRoundTrips,
    log,
  });
  log("baselines: Postgres");
  const postgres = await postgresBaseline(cluster.databaseUrl, {
    connections: config.pgConnections,
    seconds: config.pgSeconds,
    log,
  });
  log("baselines: bare Node HTTP");
  const http = await httpBaseline({ clients: config.httpClients, seconds: config.httpSeconds, log });
  log("baselines: what a statement costs through pg and Prisma");
  const prisma = await prismaBaseline(cluster.databaseUrl, { iterations: quick ? 200 : 600, log });
  const baselines = { nats, postgres, http, prisma };

  const startedInMs = await bringUp();
  const directory = new IdDirectory(cluster.databaseUrl);
  const meter = new CostMeter(cluster, () => directory.queries);
  const ordering = new OrderingLoad(cluster, directory, meter, log, config.pgSettleSeconds);
  // A phase that fails is noted and the run goes on: the figures of the others still count.
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (err) {
      log(`${what} failed: ${String(err)}`);
      notes.push(`${what} failed: ${String(err).slice(0, 300)}`);
      return null;
    }
  };

  log(`footprint: the idle system over ${config.idleSeconds} s`);
  const footprint = await attempt("footprint", async (): Promise<Footprint> => {
    await cluster.quiesce();
    await meter.calibrate();
    const idle = await idleFigures(cluster, meter, config.idleSeconds, config.pgSettleSeconds);
    const memory = memoryFigures(cluster);
    log(
      `  idle: ${idle.pgTransactionsPerSecond} Postgres tx/s, ${idle.statementsPerSecond} statements/s, ` +
        `${idle.natsMessagesPerSecond} NATS msgs/s, ${idle.baedalCpuPercent} % CPU, ${memory.totalRssMiB} MiB RSS`,
    );
    const alone = skip.has("alone") ? {} : await aloneStarts(cluster, config.aloneStarts, log);
    // The restarted processes are new: what a snapshot costs is measured again.
    await cluster.quiesce();
    await meter.calibrate();
    return {
      startedInMs,
      maxStartMs: maxOf(startedInMs),
      aloneStartMs: alone,
      maxAloneStartMs: maxOf(alone),
      idle,
      ...memory,
    };
  });

  let steps: StepProbe | null = null;
  if (!skip.has("steps")) {
    log(`steps: ${config.stepOrders} orders, one step at a time`);
    steps = await attempt("step probe", () =>
      stepProbe(cluster, ordering, directory, meter, {
        orders: config.stepOrders,
        concurrency: config.stepConcurrency,
        idleSeconds: config.stepIdleSeconds,
        settleSeconds: config.pgSettleSeconds,
        log,
      }),
    );
  }

  const load: LoadLevel[] = [];
  for (const clients of config.levels) {
    log(`ordering: ${clients} client(s)`);
    const level = await attempt(`ordering at ${clients} client(s)`, () =>
      ordering.level(clients, {
        lifecycleSeconds: config.lifecycleSeconds,
        placeSeconds: config.placeSeconds,
      }),
    );
    if (level) load.push(level);
  }

  const fanout: FanoutLevel[] = [];
  if (!skip.has("fanout")) {
    const live = new LiveFanout(cluster, log);
    for (const n of config.fanout) {
      log(`fan-out: ${n} My page streams`);
      const level = await attempt(`fan-out to ${n} streams`, () =>
        live.level(n, {
          orders: Math.min(config.fanoutOrders, n),
          placeClients: config.fanoutPlaceClients,
          idleSeconds: config.fanoutIdleSeconds,
          maxDeliverySeconds: config.fanoutMaxDeliverySeconds,
          heapDiff: process.env.BENCH_HEAP_DIFF === "1",
        }),
      );
      if (level) fanout.push(level);
    }
    live.close();
  }

  let profile: PlaceOrderProfile | null = null;
  if (!skip.has("profile")) {
    log(`profile: place-order at ${config.profileClients} clients`);
    profile = await attempt("profile", () =>
      profilePlaceOrder(cluster, ordering, {
        clients: config.profileClients,
        seconds: config.profileSeconds,
        singleSeconds: quick ? 3 : 5,
        log,
      }),
    );
  }
  await ordering.close();

  let combined: AllInOne | null = null;
  if (!skip.has("all")) {
    log(`all-in-one: main.ts all at ${config.allLevels.join(", ")} client(s)`);
    combined = await attempt("all-in-one", () =>
      allInOne(cluster, directory, {
        levels: config.allLevels,
        seconds: config.lifecycleSeconds,
        warmUpSeconds: config.allWarmUpSeconds,
        idleSeconds: config.idleSeconds,
        settleSeconds: config.pgSettleSeconds,
        log,
      }),
    );
    if (combined) notes.push(...combined.notes);
  }
  await directory.close();

  const errorsBelowSaturation = load
    .filter((l) => l.lifecycle.errors.total + l.placeOnly.errors.total > 0)
    .map((l) => l.clients);
  if (errorsBelowSaturation.length)
    notes.push(`errors at ${errorsBelowSaturation.join(", ")} client(s): see load[].*.errors`);
  const busy = busyness(activityAtStart, activitySample());
  if (busy.othersPercent > 20) {
    notes.push(
      `processes other than this run's, Postgres and NATS used ${busy.othersPercent} % of one core on average during the run (of ${busy.capacityPercent} %): the figures are not those of a quiet machine`,
    );
  }
  if (loadAverageAtStart[0]! > 1) {
    notes.push(
      `the machine was already busy at the start (load average ${loadAverageAtStart.join(" / ")} on ${os.cpus().length} cores): other work shared the CPUs`,
    );
  }

  const results: BenchResults = {
    version: 2,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      contextNode: contextNodeVersion(),
      loadAverageAtStart,
      note: "driver, ten context processes, Postgres and NATS all on this machine, over 127.0.0.1",
      busyness: busy,
    },
    git: gitInfo(),
    config,
    baselines,
    footprint,
    stepProbe: steps,
    load,
    fanout,
    profile,
    allInOne: combined,
    ratios: computeRatios(baselines, load, fanout),
    notes,
  };
  const written = writeReports(results);
  log(`results: ${written.join(", ")}`);
}

try {
  await main();
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  if (!stopping) await cluster.teardown().catch(() => undefined);
  clearTimeout(watchdog);
}
process.exit(process.exitCode ?? 0);
