// Cuts an installed node_modules down to what the given workspaces need at run time.
//   node prune-deps.mjs <app root> <workspace dir>...      e.g. /app packages/api packages/events
//
// Why not `npm ci --omit=dev --workspace ...`: npm keeps every package of the lock file that
// anything could use, including optional peer dependencies (Next.js via @trpc/server, the
// Prisma CLI via @prisma/client, TypeScript) and the other workspaces' dependencies: ~750 MB
// for an API that needs a fraction of it. Here the closure is computed the way Node resolves:
// from each workspace's `dependencies`, through every package's dependencies, installed
// optional dependencies and non-optional peer dependencies; everything else is deleted.
import { existsSync, readFileSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const [rootArg, ...workspaces] = process.argv.slice(2);
if (!rootArg || workspaces.length === 0) {
  console.error("usage: node prune-deps.mjs <app root> <workspace dir>...");
  process.exit(2);
}
const root = resolve(rootArg);
const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));

/** Where Node would find `name` when required from a file in `fromDir`. */
function locate(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}

const kept = new Set(); // real paths of the package folders to keep
const queue = workspaces.map((w) => ({ dir: resolve(root, w), runtimeOnly: true }));
while (queue.length) {
  const { dir, runtimeOnly } = queue.shift();
  const real = realpathSync(dir);
  if (kept.has(real)) continue;
  kept.add(real);
  const pkg = readJson(join(dir, "package.json"));
  const optionalPeers = new Set(
    Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta?.optional)
      .map(([name]) => name),
  );
  const wanted = [
    ...Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    // A workspace's own peers are its consumers' business; a package's required peers are not.
    ...(runtimeOnly ? [] : Object.keys(pkg.peerDependencies ?? {}))
      .filter((name) => !optionalPeers.has(name))
      .map((name) => ({ name, optional: false })),
  ];
  for (const { name, optional } of wanted) {
    const found = locate(name, real);
    if (found) queue.push({ dir: found, runtimeOnly: false });
    else if (!optional) throw new Error(`${pkg.name} needs ${name}, which is not installed`);
  }
}

/** Deletes every package folder under `modulesDir` that is not kept; descends into kept ones. */
let removed = 0;
function prune(modulesDir) {
  if (!existsSync(modulesDir)) return;
  for (const entry of readdirSync(modulesDir, { withFileTypes: true })) {
    if (entry.name === ".bin" || entry.name.startsWith(".")) continue;
    const path = join(modulesDir, entry.name);
    if (entry.name.startsWith("@")) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    let real;
    try {
      real = realpathSync(path);
    } catch {
      real = null; // a dangling link (a workspace that is not in the image)
    }
    if (real && kept.has(real)) {
      if (!entry.isSymbolicLink()) prune(join(path, "node_modules"));
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    removed++;
  }
}
prune(join(root, "node_modules"));
for (const w of workspaces) prune(join(resolve(root, w), "node_modules"));
// Command shims of deleted packages would dangle; nothing at run time uses them.
rmSync(join(root, "node_modules", ".bin"), { recursive: true, force: true });
console.log(`prune-deps: kept ${kept.size - workspaces.length} packages, removed ${removed}`);
