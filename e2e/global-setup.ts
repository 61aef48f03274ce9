/**
 * E2E global setup: a whole Baedal installation for this run only.
 *   1. a database baedal_e2e_<random> and a NATS namespace e2e<random> (so runs never meet);
 *   2. migrations, then every context as its own process (`node dist/main.js <ctx>`, built first when a source is newer);
 *   3. the demo seed, waiting until order's catalog replica has it;
 *   4. both Next apps (`next build` when stale, under a lock; serve-next.mjs on free ports);
 *   5. a control endpoint so tests can stop/start a context (see support/stack.ts).
 * Returns the teardown: everything started here is stopped, the stream and database dropped.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { apiDir, ensureApiBuilt, entryPoint } from "@baedal/api/build";
import { contextNames, type ContextName } from "@baedal/api/testing";
import { ManagedProcess, freePort, runToEnd, waitFor } from "./support/processes.js";
import { apiWebSources, nextBin, whyBuild, type NextApp } from "./support/next-apps.js";
import { stackEnvVar, type Stack } from "./support/stack.js";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const serveNext = createRequire(import.meta.url).resolve("@baedal/api/web/serve-next");
const log = (msg: string) => console.log(`[e2e] ${msg}`);

/** Order's replica of the catalog has every listed item: the seed's events went all the way through. */
const replicaCaughtUp = `SELECT (SELECT count(*) FROM ordering.menu_item_replicas WHERE listed)
  >= (SELECT count(*) FROM catalog.menu_items WHERE listed_name IS NOT NULL AND deleted_at IS NULL)
  AND (SELECT count(*) FROM ordering.shop_replicas) = (SELECT count(*) FROM catalog.shops) AS ok`;

export default async function globalSetup() {
  // The contexts run from packages/api/dist (as in production): build it when a source is newer.
  await ensureApiBuilt((m) => console.log(`[e2e] ${m}`));
  const id = randomBytes(4).toString("hex");
  const ns = `e2e${id}`;
  const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
  const dbUrl = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  dbUrl.pathname = `/baedal_e2e_${id}`;
  const databaseUrl = dbUrl.toString();
  // This run's secrets: random per run, never in the repository.
  const authSecret = randomBytes(24).toString("hex");
  const metricsToken = randomBytes(24).toString("hex");
  const logDir = join(os.tmpdir(), `baedal-e2e-${id}`);
  mkdirSync(logDir, { recursive: true });
  log(`run ${id}: database baedal_e2e_${id}, namespace ${ns}, logs in ${logDir}`);

  // The apps' ports are chosen first: the API only accepts changes from their origins (CSRF).
  const apps = selectedApps();
  const urls: Record<string, string> = {};
  for (const app of apps) urls[app.name] = `http://127.0.0.1:${await freePort()}`;

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    BAEDAL_NS: ns,
    AUTH_SECRET: authSecret,
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "info",
    NEXT_TELEMETRY_DISABLED: "1",
    // Generous: the machine running the suite may be busy, and a timeout is not what these tests
    // are about (a stopped payment process answers "no responders" at once). The breaker's
    // half-open delay is short so a test sees payment come back quickly after a restart.
    BAEDAL_RPC_TIMEOUT_MS: "10000",
    BAEDAL_BREAKER_FAILURES: "3",
    BAEDAL_BREAKER_HALF_OPEN_MS: "1500",
    SANDBOX_SLOW_MS: "3000",
    PAYMENT_RECONCILE_AFTER_MS: "30000",
    ALLOWED_ORIGINS: Object.values(urls).join(","),
    // Every test signs up or signs in from 127.0.0.1; production limits would stop a full run.
    RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP: process.env.RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP ?? "1000/15m",
    RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: process.env.RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT ?? "1000/15m",
    RATE_LIMIT_SIGNIN_PER_IP: process.env.RATE_LIMIT_SIGNIN_PER_IP ?? "1000/15m",
    RATE_LIMIT_SIGNUP_PER_IP: process.env.RATE_LIMIT_SIGNUP_PER_IP ?? "1000/15m",
  };
  const started: ManagedProcess[] = [];
  let control: Server | null = null;

  const teardown = async () => {
    log("teardown: stopping processes, dropping the stream and the database");
    control?.close();
    await Promise.all(started.map((p) => p.stop(5_000).catch(() => undefined)));
    await dropRunData(ns, natsUrl, databaseUrl).catch((err) => log(`cleanup failed: ${String(err)}`));
  };

  try {
    // Next builds are the slow part: run them while the API comes up.
    const built = buildApps(apps, baseEnv, logDir);
    built.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile

    await runToEnd("migrate", process.execPath, [entryPoint("migrate-cli")], {
      cwd: apiDir,
      env: baseEnv,
      logDir,
    });

    const api = {} as Record<ContextName, string>;
    const contexts = new Map<ContextName, ManagedProcess>();
    for (const name of contextNames) {
      const port = await freePort();
      api[name] = `http://127.0.0.1:${port}`;
      const proc = new ManagedProcess(
        {
          name: `api-${name}`,
          cmd: process.execPath,
          args: ["--enable-source-maps", entryPoint("main"), name],
          cwd: apiDir,
          env: { ...baseEnv, PORT: String(port), BAEDAL_PROCESS: `e2e-${name}` },
          healthUrl: `${api[name]}/healthz`,
          startTimeoutMs: 240_000,
        },
        logDir,
      );
      contexts.set(name, proc);
      started.push(proc);
    }
    log(`starting ${contexts.size} context processes`);
    // A few at a time: ten TypeScript processes compiling at once starve a small, shared machine.
    await inBatches([...contexts.values()], 3, (p) => p.start());

    log("seeding the demo data");
    await runToEnd("seed", process.execPath, [entryPoint("seed")], { cwd: apiDir, env: baseEnv, logDir });
    const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      await waitFor(
        "order's catalog replica to receive the seeded menu",
        async () => (await db.query<{ ok: boolean }>(replicaCaughtUp)).rows[0]?.ok === true,
        60_000,
      );
    } finally {
      await db.end();
    }

    await built;
    const apiEnv = Object.fromEntries(contextNames.map((n) => [`API_URL_${n.toUpperCase()}`, api[n]]));
    for (const app of apps) {
      const port = new URL(urls[app.name]!).port;
      const proc = new ManagedProcess(
        {
          name: app.name,
          cmd: process.execPath,
          // As npm start and the image run the apps: serve-next.mjs (the real peer for the /trpc proxy).
          args: [serveNext, "-p", port, "-H", "127.0.0.1"],
          cwd: app.dir,
          env: { ...baseEnv, ...apiEnv, PORT: port },
          healthUrl: `${urls[app.name]}/`,
          startTimeoutMs: 240_000,
        },
        logDir,
      );
      started.push(proc);
    }
    await Promise.all(started.filter((p) => !p.running).map((p) => p.start()));

    control = await serveControl(contexts);
    const addr = control.address();
    const controlPort = typeof addr === "object" && addr ? addr.port : 0;

    const stack: Stack = {
      webUrl: urls.web ?? "",
      consoleUrl: urls["shop-console"] ?? "",
      api,
      authSecret,
      databaseUrl,
      natsUrl,
      ns,
      logDir,
      controlUrl: `http://127.0.0.1:${controlPort}`,
    };
    process.env[stackEnvVar] = JSON.stringify(stack);
    log(`web ${stack.webUrl}, console ${stack.consoleUrl}`);
    return teardown;
  } catch (err) {
    await teardown();
    throw err;
  }
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * Both apps by default; BAEDAL_E2E_APPS=web (or shop-console) starts only one, e.g. while the
 * other app is being changed and does not build.
 */
function selectedApps(): NextApp[] {
  const all: NextApp[] = [
    { name: "web", dir: join(repoRoot, "apps/web") },
    { name: "shop-console", dir: join(repoRoot, "apps/shop-console") },
  ];
  const wanted = process.env.BAEDAL_E2E_APPS?.split(",").map((s) => s.trim());
  return wanted ? all.filter((a) => wanted.includes(a.name)) : all;
}

async function buildApps(apps: NextApp[], env: NodeJS.ProcessEnv, logDir: string) {
  for (const app of apps) {
    const why = whyBuild(app, apiWebSources);
    if (!why) continue;
    log(`building ${app.name} (${why})`);
    // One build per app at a time on this machine (other runs may want the same build).
    await runToEnd(`build-${app.name}`, "flock", [`/tmp/baedal-next-build-${app.name}.lock`, process.execPath, nextBin(app), "build"], {
      cwd: app.dir,
      env,
      logDir,
    });
  }
}

/** POST /contexts/<name>/(stop|start): lets a test take a context down and bring it back. */
async function serveControl(contexts: Map<ContextName, ManagedProcess>): Promise<Server> {
  const server = createServer((req, res) => {
    const m = /^\/contexts\/([a-z]+)\/(stop|start)$/.exec(req.url ?? "");
    const proc = m ? contexts.get(m[1] as ContextName) : undefined;
    if (req.method !== "POST" || !m || !proc) {
      res.writeHead(404).end("unknown control request");
      return;
    }
    const action = m[2] === "stop" ? proc.stop() : proc.start();
    action.then(
      () => res.writeHead(200).end("ok"),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

async function dropRunData(ns: string, natsUrl: string, databaseUrl: string) {
  const { connectMessaging, deleteNamespace } = await import("@baedal/events");
  const m = await connectMessaging({ url: natsUrl, ns, name: "e2e-teardown" });
  await deleteNamespace(m);
  await m.nc.close();
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
