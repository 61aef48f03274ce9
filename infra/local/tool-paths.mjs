// The tools (e2e/, bench/, chaos/) reach a workspace package by its name and `exports` only
// (@baedal/api/build's apiDir and entryPoint, @baedal/api/web/serve-next, …). dependency-cruiser
// (.dependency-cruiser.cjs) sees their imports; this sees what an import graph cannot: a path
// into a package built as a string, to run, load or read a file by it (spawn "src/main.ts" in
// packages/api, createRequire on packages/api, node_modules/next/dist/…). A string in a tool's
// source — a literal or a template literal's text; comments do not count — fails when it names:
//   package-folder   a package's folder: packages/<name>… (or "packages" as a path segment)
//   inside-app       a file inside an app: apps/<name>/… (the app's folder itself is where its
//                    own scripts run)
//   package-insides  a package's insides as a path resolved against its folder: a string that
//                    starts with src/, dist/, scripts/, testing/, test/, generated/ or node_modules/
// The scripts of every workspace's package.json (the apps', the tools') are checked for
// package-folder too: an app starts @baedal/api's server by its `bin`, not by its path.
// infra/local/boundary-probes.mjs proves each rule fires on a file that breaks it.
//   node infra/local/tool-paths.mjs     (a check of `npm run lint`)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const toolFolders = ["e2e", "bench", "chaos"];

/** Every rule, by name: the strings it refuses. */
export const rules = {
  "package-folder": /(?:^|\/)packages(?:\/[\w@.-]|$)/,
  "inside-app": /(?:^|\/)apps\/[\w@.-]+\/./,
  "package-insides": /^(?:\.{0,2}\/)?(?:src|dist|scripts|testing|test|generated|node_modules)\//,
};

const skipped = new Set([
  "node_modules",
  "results",
  "reports",
  "test-results",
  "playwright-report",
  ".local",
]);
const sourceFile = /\.(?:[cm]?[jt]s|tsx)$/;

/** The files under `dir` whose name `wanted` accepts, past the skipped folders (and dot-folders if asked). */
function filesUnder(dir, wanted = (name) => sourceFile.test(name), { skipDotFolders = false } = {}) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      const skip = skipped.has(entry) || (skipDotFolders && entry.startsWith("."));
      return skip ? [] : filesUnder(full, wanted, { skipDotFolders });
    }
    return wanted(entry) ? [full] : [];
  });
}

/** The strings of a source file (literals and template literals' text), each with its line. */
function stringsOf(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      found.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package.json files whose scripts are checked: each app's and tool's, and any below a tool. */
function manifestsUnder(root) {
  const apps = existsSync(join(root, "apps")) ? readdirSync(join(root, "apps")).map((a) => join(root, "apps", a)) : [];
  const tools = toolFolders.map((t) => join(root, t));
  const below = (dir) => filesUnder(dir, (name) => name === "package.json", { skipDotFolders: true });
  return [...apps.map((a) => join(a, "package.json")).filter(existsSync), ...tools.flatMap(below)];
}

/** Every string of the tools' sources under `root` that breaks a rule: { file, line, rule, text }. */
export function checkToolPaths(root) {
  const violations = [];
  for (const file of manifestsUnder(root)) {
    const scripts = JSON.parse(readFileSync(file, "utf8")).scripts ?? {};
    for (const [name, text] of Object.entries(scripts)) {
      if (rules["package-folder"].test(text))
        violations.push({ file: relative(root, file), line: 0, rule: "package-folder", text: `${name}: ${text}` });
    }
  }
  for (const file of toolFolders.flatMap((t) => filesUnder(join(root, t)))) {
    for (const s of stringsOf(file, readFileSync(file, "utf8"))) {
      for (const [rule, pattern] of Object.entries(rules)) {
        if (pattern.test(s.text))
          violations.push({ file: relative(root, file), line: s.line, rule, text: s.text });
      }
    }
  }
  return violations;
}

function main() {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const violations = checkToolPaths(root);
  for (const v of violations) console.error(`${v.file}:${v.line}  ${v.rule}  ${JSON.stringify(v.text)}`);
  if (violations.length) {
    console.error(
      `tool paths: ${violations.length} string(s) reach into a package by path; go through its name and ` +
        "`exports` (add an export to its package.json for what a tool needs to start or call)",
    );
    process.exit(1);
  }
  console.log(`tool paths: no string in ${toolFolders.join(", ")} reaches into a package by path`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
