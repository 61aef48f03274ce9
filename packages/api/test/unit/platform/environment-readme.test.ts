import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { eventsEnvSchema } from "@baedal/events";
import { describe, expect, it } from "vitest";
import { envSchema } from "../../../src/platform/config.js";
import { repoRoot } from "../../../src/platform/paths.js";
import { contextApiUrlVariable, webEnvSchema } from "../../../src/web/config.js";

/**
 * The README's "Environment" table is the operator's list of every variable: it must name exactly
 * what the config modules read. serve-next.mjs (plain JavaScript, outside the modules) counts too.
 */
const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
/** The variables a table of the README names (its first column), between `<!-- name:start/end -->`. */
function tableNames(name: string): string[] {
  const table = new RegExp(`<!-- ${name}:start -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)?.[1] ?? "";
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}
const documented = tableNames("env");

const serveNext = readFileSync(join(repoRoot, "packages/api/src/web/serve-next.mjs"), "utf8");
const launcherReads = [...serveNext.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)\s*(?:\?\?|\|\||\))/g)].map(
  (m) => m[1]!,
);

const known = new Set([
  ...Object.keys(envSchema.shape),
  ...Object.keys(eventsEnvSchema.shape),
  ...Object.keys(webEnvSchema.shape),
  contextApiUrlVariable,
  ...launcherReads,
]);

describe("README environment table", () => {
  it("is found, one row per variable", () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(new Set(documented).size).toBe(documented.length);
    expect(launcherReads).toEqual(expect.arrayContaining(["PORT", "HOSTNAME"]));
  });

  it("documents every variable the config modules read", () => {
    expect([...known].filter((name) => !documented.includes(name))).toEqual([]);
  });

  it("names no variable the config modules do not know", () => {
    expect(documented.filter((name) => !known.has(name))).toEqual([]);
  });
});

/**
 * Turborepo runs tasks (`dev` among them) with only the variables turbo.json lets through: a
 * variable missing there would silently not reach a process started by turbo.
 */
describe("turbo.json globalEnv", () => {
  const globalEnv = JSON.parse(readFileSync(join(repoRoot, "turbo.json"), "utf8")).globalEnv as string[];
  const covers = (name: string) =>
    globalEnv.some((g) => (g.endsWith("*") ? name.startsWith(g.slice(0, -1)) : g === name));

  it("lets every variable the config modules read through", () => {
    const perContext = contextApiUrlVariable.replace("<CONTEXT>", "ORDER");
    const names = [...known].map((n) => (n === contextApiUrlVariable ? perContext : n));
    expect(names.filter((name) => !covers(name))).toEqual([]);
  });
});

/**
 * The tools (npm start, npm test, lint, e2e, bench, chaos, the manifest check) are not processes
 * of the platform and have no config module: the README's second table lists what they read. Every
 * `process.env` variable their sources read is in it or in the platform's table, and it names no
 * variable that no tool's source mentions.
 */
describe("README tools' environment table", () => {
  const toolsDocumented = tableNames("tools-env");
  const skipped = new Set([
    "node_modules",
    "results",
    "reports",
    "test-results",
    "playwright-report",
    ".next",
  ]);
  const sourcesUnder = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return skipped.has(entry) ? [] : sourcesUnder(full);
      return /\.(?:[cm]?[jt]s)$/.test(entry) ? [readFileSync(full, "utf8")] : [];
    });
  const sources = ["e2e", "bench", "chaos", "infra"].flatMap((d) => sourcesUnder(join(repoRoot, d)));
  const reads = new Set(
    sources.flatMap((s) => [...s.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)),
  );
  /** The operating system's, not ours to document. */
  const notOurs = new Set(["PATH"]);

  it("is found, one row per variable", () => {
    expect(toolsDocumented.length).toBeGreaterThan(20);
    expect(new Set(toolsDocumented).size).toBe(toolsDocumented.length);
    expect([...reads]).toEqual(expect.arrayContaining(["BENCH_EXTRA_ENV", "CHAOS_SEED", "KUBECTL"]));
  });

  it("documents every variable the tools read", () => {
    const missing = [...reads].filter(
      (n) => !notOurs.has(n) && !toolsDocumented.includes(n) && !documented.includes(n),
    );
    expect(missing).toEqual([]);
  });

  it("names no variable the tools do not use", () => {
    const mentioned = (name: string) => sources.some((s) => new RegExp(`\\b${name}\\b`).test(s));
    expect(toolsDocumented.filter((name) => !mentioned(name))).toEqual([]);
  });
});
