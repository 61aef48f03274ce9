// `npm start`: the whole platform on this machine.
//   install (when needed) → NATS + Postgres (project-local ones when none is reachable) →
//   Prisma clients → migrations → demo seed → API (one process, or one per context with
//   BAEDAL_SPLIT=1) → both Next apps (built when needed) → URLs and demo log-ins.
// The API and app processes are supervised (supervisor.mjs): one that crashes is restarted with
// a backoff while the rest run on; `npm run ctl` (ctl.mjs, over control.mjs's socket) stops and
// starts one of them on purpose (platform.mjs says what each name means).
// The installation's secrets (AUTH_SECRET, METRICS_TOKEN) are generated once into .local/secrets/
// (infra/local/secrets.mjs) and handed to every API process; values set in the environment win.
// Ctrl-C / SIGTERM stops every child and the services this run started itself.
// Running it again is safe: the migrator and the seed are idempotent.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { defaultSocketPath, serveControl } from "./control.mjs";
import {
  bin,
  ensureInstalled,
  generatePrisma,
  importTs,
  makeLog,
  mustRun,
  newestMtime,
  paint,
  repoRoot,
  stopAllChildren,
  timed,
  waitHttp,
} from "./lib.mjs";
import { contextNode } from "./node24.mjs";
import { apiCommand, LocalPlatform } from "./platform.mjs";
import { ensureLocalSecrets, secretsDir } from "./secrets.mjs";
import { defaults, ensureServices, probe } from "./services.mjs";
import { Supervisor } from "./supervisor.mjs";

const log = makeLog("start");

const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? defaults.databaseUrl,
  NATS_URL: process.env.NATS_URL ?? defaults.natsUrl,
  BAEDAL_NS: process.env.BAEDAL_NS ?? "baedal",
  NEXT_TELEMETRY_DISABLED: "1",
};
delete env.PORT; // each child gets its own port below
const split = env.BAEDAL_SPLIT === "1";

// Mirrors packages/api/src/platform/config.ts; read from there when tsx can load it.
const fallbackPorts = {
  identity: 4100,
  catalog: 4101,
  review: 4102,
  order: 4103,
  payment: 4104,
  store: 4105,
  delivery: 4106,
  mypage: 4107,
  notification: 4108,
  report: 4109,
};
const fallbackAccounts = {
  password: "baedal1234",
  accounts: [
    { email: "customer@baedal.dev", role: "CUSTOMER", name: "김고객" },
    { email: "owner1@baedal.dev", role: "SHOP_OWNER", name: "이회장" },
    { email: "rider1@baedal.dev", role: "RIDER", name: "박라이더" },
    { email: "admin@baedal.dev", role: "ADMIN", name: "관리자" },
  ],
};
const apps = [
  { name: "web", dir: join(repoRoot, "apps/web"), port: 3000, title: "customer app" },
  {
    name: "shop-console",
    dir: join(repoRoot, "apps/shop-console"),
    port: 3001,
    title: "shop / rider / admin console",
  },
];

let services = null;
let control = null;
let shuttingDown = false;
const supervisor = new Supervisor({ log: makeLog("supervisor") });

async function shutdown(code, reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) log(reason);
  log("stopping…");
  await control?.close();
  await supervisor.shutdown(); // nothing is restarted from here on
  await stopAllChildren(); // a build still running
  if (services) await services.stop();
  log("stopped");
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => void shutdown(0, `${signal} received`));
}

/**
 * Waits for a supervised process's first answer. One that exits before it ever answered is not
 * crashing under load but failing to start (a port in use, a bad build): `npm start` stops.
 */
async function firstHealthy(name, url) {
  await waitHttp(url, { child: supervisor.child(name), what: name });
}

async function assertPortFree(port, what) {
  if (await probe("127.0.0.1", port, 500)) {
    throw new Error(`port ${port} (${what}) is already in use — is another \`npm start\` running?`);
  }
}

function needsBuild(app) {
  const buildId = join(app.dir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build yet";
  if (env.BAEDAL_REBUILD === "1") return "BAEDAL_REBUILD=1";
  const built = newestMtime(buildId);
  for (const p of [
    "app",
    "components",
    "lib",
    "src",
    "public",
    "next.config.ts",
    "postcss.config.mjs",
    "package.json",
  ]) {
    if (newestMtime(join(app.dir, p)) > built) return `${p} changed`;
  }
  return null;
}

async function main() {
  await ensureInstalled(log);
  services = await ensureServices({
    databaseUrl: env.DATABASE_URL,
    natsUrl: env.NATS_URL,
    log: makeLog("services"),
  });
  await generatePrisma(log);

  // The API runs from JavaScript built once (packages/api/dist), not transpiled at every start.
  const { ensureApiBuilt } = await import("@baedal/api/build");
  if (!(await ensureApiBuilt(log))) log("packages/api/dist up to date");
  await timed(log, "applying migrations", () =>
    mustRun("migrations", process.execPath, ["packages/api/dist/migrate-cli.js"], { env, tag: "migrate" }),
  );
  await timed(log, "seeding demo data", () =>
    mustRun("seed", process.execPath, ["packages/api/dist/seed.js"], { env, tag: "seed" }),
  );

  // API: all contexts in one process, or one process per context.
  const cfg = await importTs(
    join(repoRoot, "packages/api/src/platform/config.ts"),
    "{ ports: m.defaultPorts, allInOne: m.allInOnePort }",
  );
  const contextPorts = cfg?.ports ?? fallbackPorts;
  const allInOnePort = cfg?.allInOne ?? 4000;
  // Only the API processes get the secrets: the Next apps sign and verify nothing.
  const secrets = ensureLocalSecrets();
  if (secrets.created.length) {
    log(
      `generated ${secrets.created.join(", ")} into ${relative(repoRoot, secretsDir)}/ (kept for later runs)`,
    );
  }
  const apiProcessEnv = {
    ...env,
    AUTH_SECRET: env.AUTH_SECRET || secrets.values.AUTH_SECRET,
    METRICS_TOKEN: env.METRICS_TOKEN || secrets.values.METRICS_TOKEN,
  };
  const node = await contextNode(log);
  log(`the API runs on Node ${node.version}`);
  const platform = new LocalPlatform({
    supervisor,
    split,
    contextPorts,
    allInOnePort,
    env: apiProcessEnv,
    command: (contexts) => apiCommand(contexts, node.bin),
    log: makeLog("ctl"),
  });
  const apis = platform.apiProcesses();
  for (const a of apis) await assertPortFree(a.port, a.name);
  for (const app of apps) await assertPortFree(app.port, app.name);
  control = await serveControl(defaultSocketPath(), (req) => platform.handle(req));

  for (const a of apis) supervisor.start(a.name);

  // Next apps: build (when needed) while the API starts.
  const next = bin("next");
  for (const app of apps) {
    const why = needsBuild(app);
    if (why) {
      log(`${app.name} needs a build (${why})`);
      await timed(log, `building ${app.name} (next build)`, () =>
        mustRun(`next build (${app.name})`, next, ["build"], { cwd: app.dir, env, tag: `build:${app.name}` }),
      );
    }
  }

  for (const a of apis) await firstHealthy(a.name, a.healthUrl);
  log(split ? `API up: ${apis.length} context processes` : `API up on :${allInOnePort}`);

  // What the apps need to reach the API (all-in-one: one URL; split: one per context).
  const apiEnv = split
    ? Object.fromEntries(
        Object.entries(contextPorts).map(([name, port]) => [
          `API_URL_${name.toUpperCase()}`,
          `http://127.0.0.1:${port}`,
        ]),
      )
    : { API_URL: `http://127.0.0.1:${allInOnePort}` };
  // serve-next.mjs in place of `next start`: it tells the apps' /trpc proxy each caller's real
  // address (a route handler cannot see the socket), which the API's per-address limits count.
  const serveNext = join(repoRoot, "packages/api/src/web/serve-next.mjs");
  for (const app of apps) {
    platform.addApp({
      name: app.name,
      cmd: process.execPath,
      args: [serveNext, "-p", String(app.port)],
      cwd: app.dir,
      env: { ...env, ...apiEnv },
      port: app.port,
    });
    supervisor.start(app.name);
  }
  for (const app of apps) await firstHealthy(app.name, `http://127.0.0.1:${app.port}/`);

  const demo =
    (await importTs(
      join(repoRoot, "packages/api/src/seed/demo-data.ts"),
      "{ password: m.DEMO_PASSWORD ?? 'baedal1234', accounts: m.demoAccounts }",
    )) ?? fallbackAccounts;
  printSummary(contextPorts, allInOnePort, demo, env.METRICS_TOKEN ? null : secrets.files.METRICS_TOKEN);
}

function printSummary(contextPorts, allInOnePort, demo, metricsTokenFile) {
  const b = (s) => paint(s, 1);
  const lines = [
    "",
    b("Baedal is running"),
    "",
    ...apps.map((a) => `  ${a.title.padEnd(30)} http://localhost:${a.port}`),
    "  rider / admin areas            http://localhost:3001/rider   http://localhost:3001/admin",
    ...(split
      ? Object.entries(contextPorts).map(
          ([name, port]) => `  api ${name.padEnd(26)} http://localhost:${port}  (/healthz, /trpc)`,
        )
      : [
          `  ${"api (all contexts)".padEnd(30)} http://localhost:${allInOnePort}  (/healthz, /readyz, /trpc)`,
        ]),
    `  ${"NATS".padEnd(30)} ${env.NATS_URL}  (namespace ${env.BAEDAL_NS})`,
    `  ${"PostgreSQL".padEnd(30)} ${env.DATABASE_URL}`,
    ...(metricsTokenFile
      ? [
          `  ${"metrics token".padEnd(30)} ${relative(repoRoot, metricsTokenFile)}  (/metrics and the detail of /readyz:`,
          `  ${"".padEnd(30)} Authorization: Bearer <it>; infra/monitoring/prometheus reads it from there)`,
        ]
      : []),
    "",
    b(`Demo log-ins (password "${demo.password}")`),
    ...demo.accounts.map(
      (a) => `  ${String(a.role).padEnd(11)} ${String(a.email).padEnd(24)} ${a.name ?? ""}`,
    ),
    "",
    "A process that crashes is restarted. To stop one context and start it again (a demonstration):",
    "  npm run ctl -- stop store    npm run ctl -- start store    npm run ctl -- status",
    ...(split
      ? []
      : ["  (all contexts run in one process here: stopping one restarts it without that context)"]),
    "Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
}

main().catch((err) => void shutdown(1, `failed: ${err.message}`));
