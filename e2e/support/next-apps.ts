/**
 * The two Next.js apps as an E2E run serves them: `next build` only when an app has no build or
 * its sources are newer than the build, then serve-next.mjs (as npm start) on a free port.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface NextApp {
  name: "web" | "shop-console";
  dir: string;
}

const require = createRequire(import.meta.url);

/**
 * The API's files an app's build takes in besides the app's own, found through the exports the
 * apps import: its tRPC client and the folder of its web exports (proxy, config, safe redirects).
 */
export const apiWebSources = [
  dirname(require.resolve("@baedal/api/web/proxy")),
  require.resolve("@baedal/api/client"),
];

/** The app's own `next` (its declared dependency): the script its package.json `bin` names. */
export function nextBin(app: NextApp): string {
  const manifest = createRequire(join(app.dir, "package.json")).resolve("next/package.json");
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: { next: string } };
  return join(dirname(manifest), bin.next);
}

const skipped = new Set(["node_modules", ".next", ".turbo", "test-results", "next-env.d.ts"]);

function newestSourceMtime(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return path.endsWith(".tsbuildinfo") ? 0 : st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(path)) {
    if (!skipped.has(e)) newest = Math.max(newest, newestSourceMtime(join(path, e)));
  }
  return newest;
}

/** Why the app needs a build, or null when its build is newer than every source file. */
export function whyBuild(app: NextApp, sharedSources: string[]): string | null {
  const buildId = join(app.dir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build yet";
  if (process.env.BAEDAL_REBUILD === "1") return "BAEDAL_REBUILD=1";
  const builtAt = statSync(buildId).mtimeMs;
  for (const src of [app.dir, ...sharedSources]) {
    if (newestSourceMtime(src) > builtAt) return `${src} changed since the last build`;
  }
  return null;
}
