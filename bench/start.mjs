// `npm run bench`: install (when needed) → NATS + Postgres (project-local ones when none is
// reachable) → Prisma clients → bench/run.ts (which starts its own context processes in its own
// database and NATS namespace, measures, writes bench/results/ and the README's table, and
// cleans up). Ctrl-C stops it; whatever it started is stopped too.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureInstalled, generatePrisma, makeLog, repoRoot } from "../infra/local/lib.mjs";
import { contextNode } from "../infra/local/node24.mjs";
import { ensureServices } from "../infra/local/services.mjs";

const log = makeLog("bench");
const env = {
  ...process.env,
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  NATS_URL: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
};

await ensureInstalled(log);
const services = await ensureServices({ databaseUrl: env.TEST_DATABASE_URL, natsUrl: env.NATS_URL, log });
await generatePrisma(log);
// The contexts run from the built JavaScript (packages/api/dist), as in production.
const { ensureApiBuilt } = await import("@baedal/api/build");
await ensureApiBuilt(log);

// The contexts run on the Node they ship with (the images' Node 24), the bench's own clients on this one.
env.BAEDAL_CONTEXT_NODE = (await contextNode(log)).bin;

const child = spawn(
  process.execPath,
  ["--import", "tsx", join(repoRoot, "bench", "run.ts"), ...process.argv.slice(2)],
  {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.once("exit", (c, s) => resolve(c ?? (s ? 130 : 1))));
await services.stop();
process.exit(code);
