/**
 * `npm run chaos [-- --minutes 10] [--seed N] [--report FILE] [--concurrency N]`
 *
 * Drives orders through the real context processes while faults are injected, then checks the
 * design brief's invariants 1–6 (see chaos/README.md). Prints the counts, writes the report
 * (default .local/chaos/<time>/report.txt, next to the processes' logs) and exits non-zero when
 * any count is not zero. Runs on its own NATS and Postgres: the shared ones are never touched.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensurePrismaClients } from "@baedal/api/generate";
import { longRun } from "./lib/presets.js";
import { formatReport } from "./lib/report.js";
import { repoRoot, runScenario } from "./lib/scenario.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "2" },
    seed: { type: "string" },
    report: { type: "string" },
    concurrency: { type: "string" },
  },
});
const minutes = Number(values.minutes);
if (!(minutes > 0 && minutes <= 240)) {
  console.error("--minutes must be a number of minutes (0 < m ≤ 240)");
  process.exit(2);
}
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = join(repoRoot, ".local", "chaos", stamp);
const reportFile = resolve(values.report ?? join(outDir, "report.txt"));

// The contexts' Prisma clients are generated code (git-ignored): make them when missing.
ensurePrismaClients((m) => console.log(`[chaos] ${m}`));

const abort = new AbortController();
for (const s of ["SIGINT", "SIGTERM"] as const) {
  process.once(s, () => {
    console.error(`[chaos] ${s}: stopping (cleaning up the private NATS/Postgres and workers)`);
    abort.abort();
  });
}

const result = await runScenario(
  {
    ...longRun(minutes),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    seed,
    keepLogsIn: join(outDir, "logs"),
    log: (m) => console.log(`[chaos] ${m}`),
  },
  abort.signal,
).catch((err: unknown) => {
  console.error(`[chaos] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(abort.signal.aborted ? 130 : 1);
});
const text = formatReport(result);
mkdirSync(dirname(reportFile), { recursive: true });
writeFileSync(reportFile, `${text}\n`);
writeFileSync(`${reportFile.replace(/\.txt$/, "")}.json`, JSON.stringify(result, null, 2));
console.log(`\n${text}\n\nreport: ${reportFile}`);
// Journeys or timers of an aborted phase may linger: the verdict is in, leave now.
process.exit(result.passed ? 0 : 1);
