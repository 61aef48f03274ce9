/**
 * One chaos run, start to finish: private NATS and Postgres, migrations and the demo seed, every
 * context of the order flow in its own process, then orders driven through the API while the
 * injector breaks things; then the faults stop, the driver finishes what it started, the system
 * goes quiet, and the checker reads everything.
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { ensureApiBuilt } from "@baedal/api/build";
import { migrate, seedDemo } from "@baedal/api/testing";
import { check, failingCategories, type CheckResult } from "./checker.js";
import { consumerMap } from "./consumers.js";
import { Driver, type Journey } from "./driver.js";
import { FaultInjector, type FaultRecord } from "./injector.js";
import { openToPostgres, PrivateNats, PrivatePostgres, resilientPool } from "./infra.js";
import { waitForQuiet, type QuietResult } from "./quiet.js";
import { Random, sleep } from "./random.js";
import { Workers, type WorkerExit } from "./workers.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The contexts of the order flow, each its own process. Identity and review take no part in it. */
const flowContexts = [
  "catalog",
  "order",
  "payment",
  "store",
  "delivery",
  "mypage",
  "notification",
  "report",
];

export interface ScenarioOptions {
  seed: number;
  /** How long faults are injected (orders keep coming meanwhile). */
  chaosMs: number;
  /** After the faults: how long the driver may take to finish its journeys. */
  finishMs: number;
  /** Then: how long to wait for the system to go quiet. */
  quietMs: number;
  concurrency: number;
  /** Pause between two faults. */
  faultGapMs: [number, number];
  /** Where to keep the processes' logs (copied there at the end). */
  keepLogsIn?: string;
  /** Keep them only when the run failed (the short run in `npm test`). */
  keepLogsOnlyOnFailure?: boolean;
  log: (msg: string) => void;
}

export interface ScenarioResult {
  seed: number;
  startedAt: string;
  durationS: number;
  chaosS: number;
  check: CheckResult;
  quiet: QuietResult;
  faults: FaultRecord[];
  exits: WorkerExit[];
  journeys: Journey[];
  restarts: { nats: number; postgres: number };
  logsDir: string | null;
  passed: boolean;
}

/** This run's secrets: random per run, never in the repository. */
const authSecret = randomBytes(24).toString("hex");
const metricsToken = randomBytes(24).toString("hex");

export async function runScenario(o: ScenarioOptions, signal?: AbortSignal): Promise<ScenarioResult> {
  const started = Date.now();
  const log = o.log;
  const dir = mkdtempSync(join(os.tmpdir(), "baedal-chaos-"));
  openToPostgres(dir);
  const logDir = join(dir, "logs");
  mkdirSync(logDir);
  const random = new Random(o.seed);
  const ns = `chaos${randomBytes(3).toString("hex")}`;
  const database = "baedal_chaos";

  let nats: PrivateNats | undefined;
  let postgres: PrivatePostgres | undefined;
  let workers: Workers | undefined;
  let db: pg.Pool | undefined;
  let passed = false;
  // Ctrl-C: stop waiting at once; `finally` below still takes everything down.
  const aborted = new Promise<never>((_, reject) =>
    signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
  );
  aborted.catch(() => undefined);
  const orAbort = <T>(p: Promise<T>) => (signal ? Promise.race([p, aborted]) : p);
  try {
    log(`run dir ${dir}; seed ${o.seed}; namespace ${ns}`);
    // Both, or neither: one that started must still be stopped below when the other failed.
    const [n, p] = await orAbort(Promise.allSettled([PrivateNats.start(dir), PrivatePostgres.start(dir)]));
    if (n.status === "fulfilled") nats = n.value;
    if (p.status === "fulfilled") postgres = p.value;
    if (n.status === "rejected") throw n.reason;
    if (p.status === "rejected") throw p.reason;
    if (!nats || !postgres) throw new Error("unreachable");
    const databaseUrl = postgres.url(database);
    log(`private NATS at ${nats.url}, private Postgres at ${postgres.url()}`);
    await migrate(databaseUrl);
    db = resilientPool(databaseUrl, 4);
    await ensureApiBuilt(log); // workers run packages/api/dist/main.js

    workers = new Workers({
      logDir,
      log,
      env: workerEnv({
        DATABASE_URL: databaseUrl,
        NATS_URL: nats.url,
        BAEDAL_NS: ns,
        AUTH_SECRET: authSecret,
        METRICS_TOKEN: metricsToken,
      }),
    });
    log(`starting ${flowContexts.length} context processes …`);
    await orAbort(workers.startAll(flowContexts));
    await retrying("seed the demo data", () => seedDemo(databaseUrl, ns));
    await waitForCatalogReplica(db);
    log(`up in ${Math.round((Date.now() - started) / 1000)}s; seeded`);

    const w = workers;
    const driver = new Driver({
      db,
      urlFor: (context) => w.urlOf(context),
      authSecret,
      random: new Random(random.int(1, 2 ** 31)),
      concurrency: o.concurrency,
      spawnEveryMs: 350,
      log,
    });
    await orAbort(driver.prepare());
    const injector = new FaultInjector({
      random: new Random(random.int(1, 2 ** 31)),
      workers,
      nats,
      postgres,
      database,
      gapMs: o.faultGapMs,
      maxDown: 2,
      log,
    });

    const chaosStarted = Date.now();
    const stopAt = chaosStarted + o.chaosMs;
    log(`chaos for ${Math.round(o.chaosMs / 1000)}s`);
    await orAbort(Promise.all([driver.drive(stopAt), injector.run(stopAt)]));
    await injector.settle();
    log(`faults stopped (${injector.faults.length} injected); restoring every worker`);
    await orAbort(workers.restore());
    const chaosS = Math.round((Date.now() - chaosStarted) / 1000);
    await orAbort(driver.finish(Date.now() + o.finishMs));
    log(
      `driver finished ${driver.journeys.filter((j) => j.done).length}/${driver.journeys.length} journeys; waiting for quiet`,
    );
    const quiet = await orAbort(waitForQuiet(db, nats.url, ns, o.quietMs, log));
    log(
      quiet.quiet
        ? `quiet after ${Math.round(quiet.waitedMs / 1000)}s`
        : `not quiet after ${Math.round(quiet.waitedMs / 1000)}s: ${quiet.busy.join("; ")}`,
    );

    const result = await check(db, {
      consumers: await consumerMap(),
      runningContexts: flowContexts,
      journeys: driver.journeys,
      exits: workers.exits,
    });
    passed =
      quiet.quiet && failingCategories.every((c) => result.counts[c] === 0) && result.orders.placed > 0;
    const keptLogs = o.keepLogsIn && !(o.keepLogsOnlyOnFailure && passed) ? o.keepLogsIn : null;
    return {
      seed: o.seed,
      startedAt: new Date(started).toISOString(),
      durationS: Math.round((Date.now() - started) / 1000),
      chaosS,
      check: result,
      quiet,
      faults: injector.faults,
      exits: workers.exits,
      journeys: driver.journeys,
      restarts: { nats: nats.restarts, postgres: postgres.restarts },
      logsDir: keptLogs,
      passed,
    };
  } finally {
    await workers?.stopAll().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    if (o.keepLogsIn && !(o.keepLogsOnlyOnFailure && passed)) {
      mkdirSync(o.keepLogsIn, { recursive: true });
      cpSync(logDir, o.keepLogsIn, { recursive: true });
      if (nats) cpSync(nats.logFile, join(o.keepLogsIn, "nats.log"));
      if (postgres) cpSync(postgres.logFile, join(o.keepLogsIn, "postgres.log"));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function workerEnv(extra: Record<string, string>): Record<string, string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k, v]) =>
        v !== undefined &&
        !/^(BAEDAL_|DATABASE_URL|NATS_URL|TEST_DATABASE_URL|PORT|VITEST|NODE_OPTIONS)/.test(k),
    ),
  ) as Record<string, string>;
  return {
    ...inherited,
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? "warn",
    // The integration suites' timings: short RPC timeout, quick breaker, slow card slower than the timeout.
    BAEDAL_RPC_TIMEOUT_MS: "1500",
    BAEDAL_BREAKER_FAILURES: "3",
    BAEDAL_BREAKER_HALF_OPEN_MS: "2000",
    SANDBOX_SLOW_MS: "3000",
    PAYMENT_RECONCILE_AFTER_MS: "4000",
    // A rider call cut off by a killed worker is released (its fee withdrawn) after this long.
    RIDER_CALL_RELEASE_AFTER_MS: "6000",
    // A dozen customers ordering as fast as the drivers go: production rate limits would refuse them.
    RATE_LIMIT_ORDER_PER_CUSTOMER: "100000/1m",
    ...extra,
  };
}

/**
 * The seed is idempotent; on a loaded machine its transaction may not start within Prisma's
 * default 2 s, which is no fault of the system under test: try again.
 */
async function retrying<T>(what: string, fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw new Error(`${what} failed ${attempts} times: ${String(err)}`);
      await sleep(1_000 * i);
    }
  }
}

/** The seed's catalog events went through: order can price carts. */
async function waitForCatalogReplica(db: pg.Pool) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await db.query<{ replica: number; catalog: number }>(
      `SELECT (SELECT count(*) FROM ordering.menu_item_replicas)::int AS replica,
              (SELECT count(*) FROM catalog.menu_items)::int AS catalog`,
    );
    if (rows[0]!.catalog > 0 && rows[0]!.replica === rows[0]!.catalog) return;
    if (Date.now() > deadline)
      throw new Error(`order's catalog replica incomplete: ${JSON.stringify(rows[0])}`);
    await sleep(300);
  }
}
