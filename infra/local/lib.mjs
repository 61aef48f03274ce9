// Helpers shared by start.mjs and test.mjs. Node built-ins only (they run before `npm install`).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { noteOutput, timed } from "./progress.mjs";
import { repoRoot } from "./services.mjs";

export { repoRoot, timed };
export const bin = (name) => join(repoRoot, "node_modules", ".bin", name);

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const palette = [36, 35, 33, 32, 34, 91, 96, 95, 93, 92, 94];
let nextColor = 0;
const colorOf = new Map();
export function paint(text, code) {
  return useColor ? `\x1b[${code}m${text}\x1b[0m` : text;
}
export function makeLog(tag) {
  const label = paint(`[${tag}]`, 1);
  return (msg) => console.log(`${label} ${msg}`);
}

const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
};

/** Newest modification time of the files under `dir` (skipping node_modules, .next, generated). */
export function newestMtime(dir) {
  let newest = mtime(dir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const e of entries) {
    if (["node_modules", ".next", "generated", ".turbo"].includes(e.name)) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : mtime(p));
  }
  return newest;
}

/**
 * Runs a command to completion. Output goes through with a `[tag]` prefix (or is inherited when
 * `tag` is null). Resolves with the exit code; never rejects on a non-zero exit.
 */
export function runCommand(cmd, args, { cwd = repoRoot, env = process.env, tag = null, timeoutMs } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawnTagged(cmd, args, { cwd, env, tag });
    let timer;
    if (timeoutMs) {
      timer = setTimeout(() => {
        console.error(
          `${tag ?? cmd} did not finish within ${Math.round(timeoutMs / 60_000)} min; stopping it`,
        );
        killGroup(child, "SIGKILL");
      }, timeoutMs);
    }
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolvePromise(code ?? (signal ? 128 : 1));
    });
  });
}

/** Like runCommand, but throws when the command fails. */
export async function mustRun(what, cmd, args, opts) {
  const code = await runCommand(cmd, args, opts);
  if (code !== 0) throw new Error(`${what} failed (exit ${code})`);
}

const running = new Set();

/**
 * Spawns a command in its own process group (so it and everything it starts can be stopped
 * together) with its output prefixed by `[tag]`.
 */
export function spawnTagged(cmd, args, { cwd = repoRoot, env = process.env, tag = null } = {}) {
  const child = spawn(cmd, args, {
    cwd,
    env,
    detached: true,
    stdio: tag ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (tag) {
    // One colour per tag, so a restarted process keeps its colour.
    if (!colorOf.has(tag)) colorOf.set(tag, palette[nextColor++ % palette.length]);
    const prefix = paint(`[${tag}]`, colorOf.get(tag));
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let buf = "";
      stream.setEncoding("utf8");
      stream.on("data", (d) => {
        buf += d;
        const lines = buf.split("\n");
        buf = lines.pop();
        for (const line of lines) out.write(`${prefix} ${line}\n`);
        if (lines.length) noteOutput();
      });
      stream.on("end", () => buf && out.write(`${prefix} ${buf}\n`));
    }
  }
  return child;
}

export function killGroup(child, signal = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Signals the process group led by `pid` (what is left of it, also after its leader exited). */
export function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM every child process group still running, SIGKILL what is left after `graceMs`. */
export async function stopAllChildren(graceMs = 10_000) {
  const children = [...running];
  const exited = children.map(
    (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", r))),
  );
  for (const c of children) killGroup(c, "SIGTERM");
  const timer = setTimeout(() => children.forEach((c) => killGroup(c, "SIGKILL")), graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}

/**
 * `npm ci` when node_modules is missing or older than package-lock.json / a package.json: the lock
 * file is the truth (as in the images), so a lock file out of step with the manifests fails here,
 * on every machine, instead of being silently rewritten by `npm install`.
 */
export async function ensureInstalled(log) {
  const marker = join(repoRoot, "node_modules", ".package-lock.json");
  const manifests = [
    join(repoRoot, "package-lock.json"),
    join(repoRoot, "package.json"),
    ...["apps", "packages"].flatMap((d) => {
      const dir = join(repoRoot, d);
      return existsSync(dir) ? readdirSync(dir).map((p) => join(dir, p, "package.json")) : [];
    }),
    // The tool workspaces (root package.json `workspaces`).
    ...["e2e", "bench", "chaos"].map((d) => join(repoRoot, d, "package.json")),
  ];
  const installedAt = mtime(marker);
  const newer = manifests.filter((m) => mtime(m) > installedAt);
  if (installedAt && newer.length === 0) return;
  log(
    installedAt
      ? `dependencies changed (${newer.map((m) => m.slice(repoRoot.length + 1)).join(", ")})`
      : "node_modules missing",
  );
  await timed(log, "npm ci", () =>
    mustRun("npm ci", "npm", ["ci", "--no-audit", "--no-fund"], { tag: "npm" }),
  );
  // npm leaves the marker alone when nothing changed; touch it so the next run skips the install.
  if (existsSync(marker)) {
    const now = new Date();
    utimesSync(marker, now, now);
  }
}

/** Generates the contexts' Prisma clients unless every one is newer than its schema. */
export async function generatePrisma(log, { force = false } = {}) {
  const src = join(repoRoot, "packages", "api", "src");
  const installedAt = mtime(join(repoRoot, "node_modules", ".package-lock.json"));
  const schemas = readdirSync(src)
    .map((d) => join(src, d, "prisma", "schema.prisma"))
    .filter((p) => existsSync(p));
  const stale = schemas.filter((s) => {
    const client = join(s, "..", "..", "generated", "client.ts");
    const at = mtime(client);
    return !at || at < mtime(s) || at < installedAt;
  });
  if (!force && stale.length === 0) {
    log(`Prisma clients up to date (${schemas.length} schemas)`);
    return;
  }
  log(`${stale.length || schemas.length} of ${schemas.length} Prisma clients out of date`);
  await timed(log, "generating Prisma clients", () =>
    mustRun(
      "prisma generate",
      process.execPath,
      [join(repoRoot, "packages/api/scripts/generate-prisma.mjs")],
      {
        tag: "generate",
      },
    ),
  );
}

/**
 * Evaluates `expr` against a TypeScript module loaded through tsx, e.g. the demo accounts of the
 * seed. Returns the JSON value, or null when the module or tsx is not there (yet).
 */
export async function importTs(file, expr) {
  if (!existsSync(file)) return null;
  const code = `const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(${expr}));`;
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, file], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.once("error", () => resolvePromise(null));
    child.once("exit", (code) => {
      try {
        resolvePromise(code === 0 ? JSON.parse(out) : null);
      } catch {
        resolvePromise(null);
      }
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until GET url answers 2xx; fails early when `child` exits. */
export async function waitHttp(url, { child, timeoutMs = 120_000, what = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what} exited (code ${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not yet
    }
    await sleep(300);
  }
  throw new Error(`${what}: ${url} did not answer within ${timeoutMs / 1000}s`);
}
