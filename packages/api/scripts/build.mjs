// Builds the API's processes into plain JavaScript (esbuild), so nothing transpiles TypeScript
// at run time: dist/main.js (every context's entry point), dist/migrate-cli.js, dist/seed.js.
// Our own code (packages/api and @baedal/events) is bundled; npm dependencies stay imports.
// Each context's module is a chunk of its own (code splitting on main.ts's dynamic imports), so a
// process that runs one context loads only that context's code.
//   node packages/api/scripts/build.mjs          (npm run build; npm start, npm test and the
//                                                 harness run it when a source is newer)
import { build } from "esbuild";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const distDir = join(apiDir, "dist");

/** The processes the build makes (dist/<name>.js), each with its TypeScript source. */
const entryPoints = {
  main: "src/main.ts",
  "migrate-cli": "src/platform/migrate-cli.ts",
  seed: "src/seed/run.ts",
};

/**
 * The file that starts one of the API's processes, for the tools that start them (e2e, bench,
 * chaos; they run it with `apiDir` as the working directory): the build's dist/<name>.js, or its
 * TypeScript source for `node --import tsx` when `fromSource`.
 */
export function entryPoint(name, { fromSource = false } = {}) {
  if (!Object.hasOwn(entryPoints, name)) throw new Error(`no API process named ${name}`);
  return fromSource ? join(apiDir, entryPoints[name]) : join(distDir, `${name}.js`);
}

const manifest = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const eventsDir = join(apiDir, "..", "events");
/** Every npm package either workspace depends on stays an import (node_modules at run time). */
const external = [
  ...new Set(
    [manifest(apiDir), manifest(eventsDir)]
      .flatMap((m) => Object.keys({ ...m.dependencies, ...m.devDependencies }))
      .filter((name) => !name.startsWith("@baedal/")),
  ),
].flatMap((name) => [name, `${name}/*`]);

/** Builds into a fresh folder, then swaps it in: a process starting meanwhile sees a whole build. */
export async function buildApi() {
  const next = `${distDir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await build({
    absWorkingDir: apiDir,
    entryPoints,
    outdir: next,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external,
    sourcemap: "linked",
    // Chunks are named by content; the entry points keep their names.
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
    // A few npm packages are CommonJS: give bundled ESM a `require` for them.
    banner: { js: "import { createRequire as __baedalRequire } from 'node:module'; const require = __baedalRequire(import.meta.url);" },
  });
  const old = `${distDir}.old-${process.pid}`;
  if (existsSync(distDir)) renameSync(distDir, old);
  renameSync(next, distDir);
  rmSync(old, { recursive: true, force: true });
}

/** Newest modification time (ms) of the files under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Why dist/ must be built again (a source, a generated client or this script is newer), or null. */
export function staleBecause() {
  const built = existsSync(join(distDir, "main.js")) ? statSync(join(distDir, "main.js")).mtimeMs : 0;
  if (!built) return "no build yet";
  const inputs = [join(apiDir, "src"), join(eventsDir, "src"), join(eventsDir, "sql")];
  for (const dir of inputs) if (newest(dir) > built) return `${dir.slice(apiDir.length - "packages/api".length)} changed`;
  for (const f of [fileURLToPath(import.meta.url), join(apiDir, "package.json"), join(eventsDir, "package.json")]) {
    if (statSync(f).mtimeMs > built) return `${f.slice(apiDir.length - "packages/api".length)} changed`;
  }
  return null;
}

/** Builds when stale; `log` hears why. Returns whether it built. */
export async function ensureApiBuilt(log = () => undefined) {
  const why = staleBecause();
  if (!why) return false;
  const started = Date.now();
  await buildApi();
  log(`built packages/api/dist (${why}) in ${Date.now() - started} ms`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildApi();
  console.log(`[build] packages/api/dist in ${Date.now() - started} ms`);
}
