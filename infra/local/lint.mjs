// `npm run lint`: the repository's static checks, one after another, each passing or failing on
// its own:
//   eslint      eslint.config.js
//   boundaries  dependency-cruiser over every workspace and infra/ (.dependency-cruiser.cjs:
//               context walls, platform below the contexts, packages reached only by their exports)
//   shape       every context keeps the shape of docs/context-guide.md (context-shape.mjs: file
//               names, one service and slot, typed on() handlers, one error type; known departures
//               listed in its `allowed`)
//   toolpaths   e2e/, bench/ and chaos/ name no path into a package (tool-paths.mjs: what they run,
//               load or read of a package goes through its name and `exports`, as their imports do)
//   probes      every boundary, shape and tool-path rule, and eslint's one-PaymentClient rules,
//               fire on a file that breaks them (boundary-probes.mjs)
//   knip        no unused file, export or dependency, none used undeclared (knip.jsonc)
// The last line is `N passed, N failed` (one per check); the exit code is non-zero when one failed.
//   --json FILE   also writes { passed, failed, notes } (infra/local/test.mjs's `lint` runner).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, generatePrisma, makeLog, repoRoot, runCommand } from "./lib.mjs";

const log = makeLog("lint");
const json = process.argv.includes("--json") ? process.argv[process.argv.indexOf("--json") + 1] : null;

const checks = [
  {
    name: "eslint",
    cmd: bin("eslint"),
    args: [".", "--cache", "--cache-strategy", "content", "--cache-location", "node_modules/.cache/eslint/"],
  },
  {
    name: "boundaries",
    cmd: bin("depcruise"),
    args: ["packages", "apps", "e2e", "bench", "chaos", "infra", "--config", ".dependency-cruiser.cjs"],
  },
  { name: "shape", cmd: process.execPath, args: [join(repoRoot, "infra/local/context-shape.mjs")] },
  { name: "toolpaths", cmd: process.execPath, args: [join(repoRoot, "infra/local/tool-paths.mjs")] },
  { name: "probes", cmd: process.execPath, args: [join(repoRoot, "infra/local/boundary-probes.mjs")] },
  { name: "knip", cmd: bin("knip"), args: ["--no-progress"] },
];

// The boundaries see imports of the contexts' generated Prisma clients: those must exist.
await generatePrisma(log);

const results = [];
for (const c of checks) {
  log(`── ${c.name}`);
  const code = await runCommand(c.cmd, c.args, { cwd: repoRoot }).catch((err) => (log(err.message), 1));
  results.push({ name: c.name, ok: code === 0, code });
}

console.log("");
for (const r of results) console.log(`${r.name.padEnd(11)} ${r.ok ? "passed" : `failed (exit ${r.code})`}`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (json) {
  const notes = results
    .filter((r) => !r.ok)
    .map((r) => `${r.name} failed (exit ${r.code}); see its output above`);
  writeFileSync(json, JSON.stringify({ passed, failed, notes }));
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
