// `npm test`: every test suite of the repository against real NATS and Postgres.
//   install (when needed) → NATS + Postgres (project-local ones when none is reachable) →
//   Prisma clients → the static checks (`npm run lint`, infra/local/lint.mjs: one result per
//   check) → vitest in packages/api (without the security suite) → the security suite
//   (packages/api/test/integration/security: probes against real processes) → vitest in
//   packages/events (when it has tests) → the unit suites on Node 24 (node24.mjs) →
//   the short chaos run in chaos/ (own NATS and Postgres) → Playwright in e2e/ (when
//   e2e/playwright.config.* exists).
// Each runner writes JSON results; the totals over all runners are the last line printed:
//   `N passed, N failed`
// The exit code is non-zero when a test failed or a runner crashed (a crash counts as a failure).
//
// Tests create their own databases and stream names from these bases:
//   TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres), NATS_URL.
// Optional: BAEDAL_TEST_ONLY=lint,api,security,events,unit-node24,chaos,e2e picks runners; BAEDAL_TEST_TIMEOUT_MIN (default 60)
// bounds each runner.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import {
  bin,
  ensureInstalled,
  generatePrisma,
  makeLog,
  repoRoot,
  runCommand,
  stopAllChildren,
} from "./lib.mjs";
import { ensureChromium, ensureServices } from "./services.mjs";

const log = makeLog("test");
const env = {
  ...process.env,
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  NATS_URL: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
  NEXT_TELEMETRY_DISABLED: "1",
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
  CI: process.env.CI ?? "1",
};
const only = process.env.BAEDAL_TEST_ONLY?.split(",").map((s) => s.trim());
const timeoutMs = Number(process.env.BAEDAL_TEST_TIMEOUT_MIN ?? 60) * 60_000;
const tmp = mkdtempSync(join(os.tmpdir(), "baedal-test-"));

let services = null;
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal} received; stopping`);
    await stopAllChildren(5_000);
    if (services) await services.stop();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// Result parsing: { passed, failed, skipped, notes[] } from each runner's JSON report.

function parseVitest(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const notes = [];
  // A file that fails to load (syntax error, failing beforeAll) has no failed test of its own.
  let brokenFiles = 0;
  for (const t of r.testResults ?? []) {
    const failedTests = (t.assertionResults ?? []).filter((a) => a.status === "failed").length;
    if (t.status === "failed" && failedTests === 0) {
      brokenFiles++;
      const why =
        String(t.message || "").split("\n")[0] ||
        "suite failed outside its tests (hook or import; see above)";
      notes.push(`${t.name.replace(`${repoRoot}/`, "")}: ${why}`);
    }
  }
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + brokenFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    notes,
  };
}

function parsePlaywright(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const s = r.stats ?? {};
  const errors = r.errors ?? [];
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + errors.length,
    skipped: s.skipped ?? 0,
    notes: [
      ...(s.flaky ? [`${s.flaky} flaky (passed on retry)`] : []),
      ...errors.map((e) => String(e.message ?? e).split("\n")[0]),
    ],
  };
}

function hasTests(dir) {
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true }).some((e) =>
      e.isDirectory()
        ? !["node_modules", "generated", "dist", ".next"].includes(e.name) && walk(join(d, e.name))
        : /\.(test|spec)\.[cm]?[jt]sx?$/.test(e.name),
    );
  return existsSync(dir) && walk(dir);
}

// ---------------------------------------------------------------------------------------------
// Runners

function runners() {
  const list = [];
  const vitest = bin("vitest");
  const vitestRunner = (name, cwd, extra = []) => {
    const out = join(tmp, `${name}.json`);
    return {
      name,
      cwd,
      out,
      cmd: vitest,
      args: ["run", "--reporter=default", "--reporter=json", `--outputFile=${out}`, ...extra],
      parse: parseVitest,
    };
  };
  const lintOut = join(tmp, "lint.json");
  list.push({
    name: "lint",
    cwd: repoRoot,
    out: lintOut,
    cmd: process.execPath,
    args: [join(repoRoot, "infra/local/lint.mjs"), "--json", lintOut],
    parse: (file) => ({ skipped: 0, ...JSON.parse(readFileSync(file, "utf8")) }),
  });
  // The security suite is a runner of its own (its own line in the totals); the api runner
  // leaves its folder out so nothing runs twice.
  const securitySuite = "test/integration/security";
  list.push(vitestRunner("api", join(repoRoot, "packages/api"), [`--exclude=${securitySuite}/**`]));
  list.push(vitestRunner("security", join(repoRoot, "packages/api"), [securitySuite]));
  if (hasTests(join(repoRoot, "packages/events")))
    list.push(vitestRunner("events", join(repoRoot, "packages/events")));
  // The unit suites again on Node 24, the images' LTS (the code runs on both): node24.mjs installs
  // the pinned binary once into .local/node24/ and fails this runner when it cannot.
  const unit24 = vitestRunner("unit-node24", repoRoot, ["--config", "infra/local/vitest.unit.config.mjs"]);
  list.push({
    ...unit24,
    cmd: process.execPath,
    args: [
      join(repoRoot, "infra/local/node24.mjs"),
      join(repoRoot, "node_modules/vitest/vitest.mjs"),
      ...unit24.args,
    ],
  });
  // The short fault-injection run (chaos/short.test.ts): its own NATS and Postgres, ~3 minutes.
  if (hasTests(join(repoRoot, "chaos"))) list.push(vitestRunner("chaos", join(repoRoot, "chaos")));

  const e2e = join(repoRoot, "e2e");
  const pwConfig = ["playwright.config.ts", "playwright.config.mjs", "playwright.config.js"].find((f) =>
    existsSync(join(e2e, f)),
  );
  if (pwConfig) {
    const out = join(tmp, "e2e.json");
    const localBin = join(e2e, "node_modules", ".bin", "playwright");
    list.push({
      name: "e2e",
      cwd: e2e,
      out,
      cmd: existsSync(localBin) ? localBin : bin("playwright"),
      args: ["test", "--config", pwConfig, "--reporter=list,json"],
      env: { PLAYWRIGHT_JSON_OUTPUT_FILE: out, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
      before: async () => ({ CHROMIUM_PATH: await ensureChromium(makeLog("services")) }),
      parse: parsePlaywright,
    });
  }
  return only ? list.filter((r) => only.includes(r.name)) : list;
}

async function runOne(r) {
  log(`── ${r.name}: ${r.cmd.replace(`${repoRoot}/`, "")} ${r.args.join(" ")}`);
  if (!existsSync(r.cmd)) {
    return { passed: 0, failed: 1, skipped: 0, notes: [`${r.cmd} not installed`], crashed: true };
  }
  const extra = r.before ? await r.before() : {};
  const code = await runCommand(r.cmd, r.args, {
    cwd: r.cwd,
    env: { ...env, ...r.env, ...extra },
    timeoutMs,
  });
  let result;
  try {
    result = r.parse(r.out);
  } catch (err) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      notes: [`no readable results (exit ${code}): ${err.message}`],
      crashed: true,
    };
  }
  if (code !== 0 && result.failed === 0) {
    // The runner failed without a failing test (crash, no test files, unhandled error, timeout).
    return {
      ...result,
      failed: 1,
      notes: [...result.notes, `runner exited ${code} without a failing test`],
      crashed: true,
    };
  }
  return { ...result, crashed: false };
}

async function main() {
  await ensureInstalled(log);
  services = await ensureServices({
    databaseUrl: env.TEST_DATABASE_URL,
    natsUrl: env.NATS_URL,
    log: makeLog("services"),
  });
  await generatePrisma(log);
  // Every runner starts context processes from the built JavaScript (packages/api/dist).
  const { ensureApiBuilt } = await import("@baedal/api/build");
  await ensureApiBuilt(log);

  const results = [];
  for (const r of runners()) {
    let res;
    try {
      res = await runOne(r);
    } catch (err) {
      res = { passed: 0, failed: 1, skipped: 0, notes: [err.message], crashed: true };
    }
    results.push({ name: r.name, ...res });
    if (interrupted) return;
  }

  await services.stop();
  rmSync(tmp, { recursive: true, force: true });

  console.log("");
  for (const r of results) {
    const skipped = r.skipped ? `, ${r.skipped} skipped` : "";
    console.log(
      `${r.name.padEnd(8)} ${r.passed} passed, ${r.failed} failed${skipped}${r.crashed ? "  (runner crashed)" : ""}`,
    );
    for (const n of r.notes) console.log(`         ${n}`);
  }
  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.some((r) => r.crashed) || results.length === 0 ? 1 : 0;
}

main().catch(async (err) => {
  console.error(`[test] ${err.message}`);
  await stopAllChildren(5_000);
  if (services) await services.stop();
  rmSync(tmp, { recursive: true, force: true });
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
});
