import { readFileSync } from "node:fs";
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
const table = /<!-- env:start -->([\s\S]*?)<!-- env:end -->/.exec(readme)?.[1] ?? "";
const documented = table
  .split("\n")
  .filter((line) => line.startsWith("| `"))
  .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

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
