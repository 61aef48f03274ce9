/**
 * The short chaos run, as part of `npm test`: orders through the real processes for 40 seconds
 * of faults, then every invariant count must be zero. One test per count, so the runner's
 * "N passed, N failed" says which invariant broke; the report is printed either way, and the
 * processes' logs are kept under .local/chaos/ when it fails.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failingCategories } from "./lib/checker.js";
import { shortRun } from "./lib/presets.js";
import { formatReport } from "./lib/report.js";
import { repoRoot, runScenario, type ScenarioResult } from "./lib/scenario.js";

const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
let result: ScenarioResult;
const abort = new AbortController();

beforeAll(async () => {
  result = await runScenario(
    {
      ...shortRun(),
      seed,
      keepLogsIn: join(repoRoot, ".local", "chaos", `short-${stamp}`),
      keepLogsOnlyOnFailure: true,
      log: (m) => console.log(`[chaos] ${m}`),
    },
    abort.signal,
  );
  console.log(formatReport(result));
});
afterAll(() => abort.abort());

describe(`chaos, short run (seed ${seed}; CHAOS_SEED=${seed} to replay the same choices)`, () => {
  it("drove orders through every kind of fault", () => {
    expect(result.check.orders.placed, "orders placed").toBeGreaterThanOrEqual(5);
    expect(result.check.orders.delivered, "orders delivered").toBeGreaterThanOrEqual(1);
    expect(new Set(result.faults.map((f) => f.kind)).size, "kinds of fault injected").toBeGreaterThanOrEqual(
      6,
    );
  });

  it("the system went quiet once the faults stopped", () => {
    expect(result.quiet.busy).toEqual([]);
  });

  for (const category of failingCategories) {
    it(`${category}: none`, () => {
      expect(result.check.findings[category], `${category}: ${result.check.counts[category]}`).toEqual([]);
    });
  }
});
