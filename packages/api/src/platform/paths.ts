import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The @baedal/api package folder, found from wherever this code runs: `src/platform/` under tsx
 * and vitest, `dist/` or `dist/chunks/` once built (a bundle's modules do not keep their paths).
 */
export const apiRoot: string = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@baedal/api") {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error("cannot find the @baedal/api package folder");
  }
})();

/** The repository root (the workspace that holds packages/api). */
export const repoRoot = join(apiRoot, "..", "..");
