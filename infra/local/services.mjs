// Local infrastructure for development and tests: NATS (JetStream) and PostgreSQL.
//
// `ensureServices({ databaseUrl, natsUrl })` probes each URL; whatever is not reachable is brought
// up project-locally (data under .local/, which git ignores), installing the Debian package first
// when the binary is missing. It returns handles for what it started, so the caller can stop
// exactly that and nothing else. Node built-ins only: this runs before `npm install`.
//
// CLI: node infra/local/services.mjs [up|status|stop|chromium]
//   up        bring up what is missing (left running in the background) — default
//   status    say what is reachable
//   stop      stop the project-local NATS / Postgres (never a system-wide one)
//   chromium  install Debian chromium when /usr/bin/chromium is missing
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  statSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { timed } from "./progress.mjs";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const localDir = join(repoRoot, ".local");

export const defaults = {
  databaseUrl: "postgresql://postgres@127.0.0.1:5432/baedal",
  natsUrl: "nats://127.0.0.1:4222",
};

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function defaultLog(msg) {
  console.log(`[services] ${msg}`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** host/port of a service URL (postgresql://…, nats://…), with the protocol's default port. */
export function endpointOf(url, defaultPort) {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  return { host, port: Number(u.port || defaultPort) };
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function probe(host, port, timeoutMs = 1000) {
  return new Promise((resolvePromise) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.removeAllListeners();
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitReachable(host, port, { timeoutMs = 30_000, isDead = () => false, what }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe(host, port, 500)) return;
    if (isDead()) throw new Error(`${what} exited before accepting connections on ${host}:${port}`);
    await sleep(200);
  }
  throw new Error(`${what} did not accept connections on ${host}:${port} within ${timeoutMs / 1000}s`);
}

/** First executable named `name` on PATH or in the extra directories. */
export function findBinary(name, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.error) throw r.error;
  return r;
}

function tail(file, lines = 20) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------
// Debian packages

let aptUpdated = false;

/**
 * Runs one apt-get command; its output is summarised, not streamed (hundreds of lines): the
 * heartbeat shows its last line, a failure prints the last 20.
 */
function aptRun(log, what, argv, env) {
  const lines = [];
  return timed(
    log,
    what,
    () =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], env });
        for (const stream of [child.stdout, child.stderr]) {
          let buf = "";
          stream.setEncoding("utf8");
          stream.on("data", (d) => {
            buf += d;
            const parts = buf.split("\n");
            buf = parts.pop();
            for (const l of parts) if (l.trim()) lines.push(l.trim());
            if (lines.length > 200) lines.splice(0, lines.length - 20);
          });
        }
        child.once("error", reject);
        child.once("exit", (code, signal) => {
          if (code === 0) return resolvePromise();
          console.error(lines.slice(-20).join("\n"));
          reject(new Error(`${argv.join(" ")} failed (exit ${code ?? signal})`));
        });
      }),
    { status: () => lines.at(-1)?.slice(0, 100) },
  );
}

/** apt-get install the packages (as root, or through passwordless sudo). Never starts their services. */
export async function aptInstall(packages, log = defaultLog) {
  const prefix = isRoot() ? [] : findBinary("sudo") ? ["sudo", "-n"] : null;
  if (!prefix) {
    throw new Error(
      `${packages.join(", ")} missing and not root (no sudo): install it with apt-get install ${packages.join(" ")}`,
    );
  }
  if (!findBinary("apt-get"))
    throw new Error(`${packages.join(", ")} missing and apt-get is not available; install it by hand`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Keep package post-install scripts from starting system-wide daemons (e.g. a second Postgres
  // cluster on 5432 with password auth): we start project-local ones ourselves.
  const policy = "/usr/sbin/policy-rc.d";
  let wrotePolicy = false;
  if (isRoot() && !existsSync(policy)) {
    writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    wrotePolicy = true;
  }
  try {
    if (!aptUpdated) {
      await aptRun(log, "apt-get update", [...prefix, "apt-get", "update"], env);
      aptUpdated = true;
    }
    await aptRun(
      log,
      `apt-get install ${packages.join(" ")}`,
      [...prefix, "apt-get", "install", "-y", ...packages],
      env,
    );
  } finally {
    if (wrotePolicy) rmSync(policy, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// NATS

const NATS_DIRS = ["/usr/sbin", "/usr/bin", "/usr/local/bin"];
const natsPidFile = join(localDir, "nats.pid");

async function natsBinary(log) {
  let bin = findBinary("nats-server", NATS_DIRS);
  if (!bin) {
    log("nats-server not found");
    await aptInstall(["nats-server"], log);
    bin = findBinary("nats-server", NATS_DIRS);
    if (!bin) throw new Error("nats-server still not found after apt-get install nats-server");
  }
  return bin;
}

async function stopPid(pid, what, log, timeoutMs = 15_000) {
  if (!pidAlive(pid)) return;
  log(`stopping ${what} (pid ${pid})`);
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pidAlive(pid)) await sleep(100);
  if (pidAlive(pid)) {
    log(`${what} did not stop in time; killing it`);
    process.kill(pid, "SIGKILL");
  }
}

function readPid(file) {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function startNats({ host, port }, log) {
  const bin = await natsBinary(log);
  const storeDir = join(localDir, "nats");
  mkdirSync(storeDir, { recursive: true });
  // A project-local server left over from an earlier run (on another port) holds the store dir.
  const stale = readPid(natsPidFile);
  if (stale && pidAlive(stale)) await stopPid(stale, "the previous project-local nats-server", log);

  const logFile = join(localDir, "nats.log");
  const fd = openSync(logFile, "a");
  const listen = host === "localhost" ? "127.0.0.1" : host;
  log(`starting project-local NATS: ${bin} -a ${listen} -p ${port} -js -sd ${storeDir} (log ${logFile})`);
  const child = spawn(bin, ["-a", listen, "-p", String(port), "-js", "-sd", storeDir], {
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  let exited = false;
  const exitPromise = new Promise((r) =>
    child.once("exit", () => {
      exited = true;
      r();
    }),
  );
  child.once("error", () => (exited = true));
  child.unref();
  writeFileSync(natsPidFile, `${child.pid}\n`);
  try {
    await waitReachable(host, port, { what: "nats-server", isDead: () => exited });
  } catch (err) {
    throw new Error(`${err.message}\n--- ${logFile} ---\n${tail(logFile)}`);
  }
  log(`NATS up at nats://${host}:${port} (pid ${child.pid})`);
  return {
    name: "nats",
    pid: child.pid,
    url: `nats://${host}:${port}`,
    async stop() {
      if (!exited) {
        log(`stopping project-local NATS (pid ${child.pid})`);
        try {
          process.kill(child.pid, "SIGTERM");
        } catch {
          // gone already
        }
        const timer = setTimeout(() => !exited && process.kill(child.pid, "SIGKILL"), 15_000);
        await exitPromise;
        clearTimeout(timer);
      }
      rmSync(natsPidFile, { force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function pgBinDir(dataDir) {
  const versions = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .filter((v) => existsSync(join("/usr/lib/postgresql", v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  // An existing cluster must be run by its own major version.
  const want = existsSync(join(dataDir, "PG_VERSION"))
    ? readFileSync(join(dataDir, "PG_VERSION"), "utf8").trim()
    : null;
  if (want && versions.includes(want)) return join("/usr/lib/postgresql", want, "bin");
  if (versions.length) return join("/usr/lib/postgresql", versions[0], "bin");
  const pgCtl = findBinary("pg_ctl", ["/usr/local/pgsql/bin"]);
  if (pgCtl && existsSync(join(dirname(pgCtl), "initdb"))) return dirname(pgCtl);
  return null;
}

/** Where the cluster lives; falls back to a temp dir when the postgres user cannot reach .local/. */
function pgPaths(log) {
  const inRepo = {
    dataDir: join(localDir, "pg"),
    sockDir: join(localDir, "pg-socket"),
    logFile: join(localDir, "pg.log"),
  };
  const tooLong = join(inRepo.sockDir, ".s.PGSQL.65535").length > 100;
  if (!tooLong && (!isRoot() || postgresCanReach(localDir))) return inRepo;
  const base = join(os.tmpdir(), `baedal-${Buffer.from(repoRoot).toString("base64url").slice(-16)}`);
  log(`the postgres user cannot use ${localDir} (permissions or path length); using ${base}`);
  mkdirSync(base, { recursive: true, mode: 0o755 });
  return { dataDir: join(base, "pg"), sockDir: join(base, "pg-socket"), logFile: join(base, "pg.log") };
}

function postgresCanReach(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  return run("runuser", ["-u", "postgres", "--", "test", "-x", dir]).status === 0;
}

function ensurePostgresUser(log) {
  if (!isRoot()) return;
  if (run("id", ["-u", "postgres"]).status === 0) return;
  log("creating the postgres OS user");
  const r = run("useradd", [
    "--system",
    "--user-group",
    "--no-create-home",
    "--shell",
    "/bin/sh",
    "postgres",
  ]);
  if (r.status !== 0) throw new Error(`useradd postgres failed: ${r.stderr}`);
}

/** Runs a Postgres tool as the `postgres` OS user when we are root (Postgres refuses root). */
function pgCommand(binDir, tool, args) {
  const bin = join(binDir, tool);
  return isRoot() ? { cmd: "runuser", args: ["-u", "postgres", "--", bin, ...args] } : { cmd: bin, args };
}

function pgRun(binDir, tool, args, opts = {}) {
  const { cmd, args: a } = pgCommand(binDir, tool, args);
  return run(cmd, a, { cwd: "/", ...opts });
}

function chownToPostgres(...paths) {
  if (!isRoot()) return;
  for (const p of paths) run("chown", ["-R", "postgres:postgres", p]);
}

async function startPostgres({ host, port }, log) {
  ensurePostgresUser(log);
  let paths = pgPaths(log);
  let binDir = pgBinDir(paths.dataDir);
  if (!binDir) {
    log("PostgreSQL server binaries (initdb, pg_ctl) not found");
    await aptInstall(["postgresql"], log);
    ensurePostgresUser(log);
    paths = pgPaths(log);
    binDir = pgBinDir(paths.dataDir);
    if (!binDir) throw new Error("pg_ctl still not found after apt-get install postgresql");
  }
  const { dataDir, sockDir, logFile } = paths;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(sockDir, { recursive: true, mode: 0o755 });
  if (!existsSync(logFile)) writeFileSync(logFile, "");
  chownToPostgres(dataDir, sockDir, logFile);

  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log(`initdb ${dataDir} (trust auth, superuser postgres)`);
    const r = pgRun(binDir, "initdb", [
      "-D",
      dataDir,
      "--auth=trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-locale",
    ]);
    if (r.status !== 0) throw new Error(`initdb failed:\n${r.stdout}\n${r.stderr}`);
  }

  // A project-local cluster still running from an earlier run (e.g. on another port): restart it.
  if (pgRun(binDir, "pg_ctl", ["-D", dataDir, "status"]).status === 0) {
    log("the project-local Postgres is running but not on the wanted port; restarting it");
    pgRun(binDir, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  }

  const listen = host === "localhost" ? "127.0.0.1" : host;
  log(`starting project-local PostgreSQL on ${listen}:${port} (data ${dataDir}, log ${logFile})`);
  const opts = `-p ${port} -k ${sockDir} -c listen_addresses=${listen}`;
  const { cmd, args } = pgCommand(binDir, "pg_ctl", [
    "-D",
    dataDir,
    "-l",
    logFile,
    "-w",
    "-t",
    "60",
    "-o",
    opts,
    "start",
  ]);
  // Own session: a Ctrl-C in the terminal must not reach the postmaster; the caller stops it.
  const child = spawn(cmd, args, { cwd: "/", detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise((r) => {
    child.once("exit", (c) => r(c));
    child.once("error", () => r(-1));
  });
  if (code !== 0)
    throw new Error(`pg_ctl start failed (exit ${code}):\n${out}\n--- ${logFile} ---\n${tail(logFile)}`);
  await waitReachable(host, port, { what: "postgres", timeoutMs: 30_000 });
  log(`PostgreSQL up at ${host}:${port}`);
  return {
    name: "postgres",
    url: `postgresql://postgres@${host}:${port}`,
    dataDir,
    async stop() {
      log("stopping project-local PostgreSQL");
      const r = pgRun(binDir, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
      if (r.status !== 0) log(`pg_ctl stop: ${(r.stderr || r.stdout).trim()}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Makes NATS and Postgres reachable at the given URLs. Reachable ones are left alone; missing
 * ones on this machine are started project-locally. Returns `{ started, stop }`: `stop()` stops
 * only what this call started.
 */
export async function ensureServices({
  databaseUrl = process.env.DATABASE_URL ?? defaults.databaseUrl,
  natsUrl = process.env.NATS_URL ?? defaults.natsUrl,
  log = defaultLog,
} = {}) {
  const started = [];
  const stop = async () => {
    for (const h of [...started].reverse()) {
      try {
        await h.stop();
      } catch (err) {
        log(`stopping ${h.name} failed: ${err.message}`);
      }
    }
    started.length = 0;
  };
  const wanted = [
    { name: "NATS", ...endpointOf(natsUrl, 4222), start: startNats },
    { name: "PostgreSQL", ...endpointOf(databaseUrl, 5432), start: startPostgres },
  ];
  try {
    for (const s of wanted) {
      if (await probe(s.host, s.port)) {
        log(`${s.name} reachable at ${s.host}:${s.port}`);
        continue;
      }
      if (!LOCAL_HOSTS.has(s.host)) {
        throw new Error(`${s.name} is not reachable at ${s.host}:${s.port}, and that is not this machine`);
      }
      log(`${s.name} not reachable at ${s.host}:${s.port}; bringing up a project-local one`);
      started.push(await s.start({ host: s.host, port: s.port }, log));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { started, stop };
}

/** Path of a Chromium for Playwright: Debian's /usr/bin/chromium, installed when missing. */
export async function ensureChromium(log = defaultLog) {
  const bin = "/usr/bin/chromium";
  if (existsSync(bin)) return bin;
  log("chromium not found");
  await aptInstall(["chromium"], log);
  if (!existsSync(bin)) throw new Error("/usr/bin/chromium still missing after apt-get install chromium");
  return bin;
}

/** Stops the project-local services, whichever run started them. */
export async function stopLocalServices(log = defaultLog) {
  const pid = readPid(natsPidFile);
  if (pid && pidAlive(pid)) await stopPid(pid, "project-local nats-server", log);
  rmSync(natsPidFile, { force: true });
  for (const { dataDir } of [{ dataDir: join(localDir, "pg") }, ...tmpPgDirs()]) {
    if (!existsSync(join(dataDir, "PG_VERSION"))) continue;
    const binDir = pgBinDir(dataDir);
    if (!binDir) continue;
    if (pgRun(binDir, "pg_ctl", ["-D", dataDir, "status"]).status !== 0) continue;
    log(`stopping project-local PostgreSQL (${dataDir})`);
    pgRun(binDir, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  }
}

function tmpPgDirs() {
  const base = join(os.tmpdir(), `baedal-${Buffer.from(repoRoot).toString("base64url").slice(-16)}`);
  return existsSync(base) ? [{ dataDir: join(base, "pg") }] : [];
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? "up";
  const databaseUrl = process.env.DATABASE_URL ?? defaults.databaseUrl;
  const natsUrl = process.env.NATS_URL ?? defaults.natsUrl;
  try {
    if (cmd === "up") {
      const { started } = await ensureServices({ databaseUrl, natsUrl });
      if (started.length) {
        defaultLog(
          `started ${started.map((h) => h.name).join(" and ")}; they keep running — stop with: node infra/local/services.mjs stop`,
        );
      } else {
        defaultLog("nothing to do");
      }
    } else if (cmd === "status") {
      const n = endpointOf(natsUrl, 4222);
      const p = endpointOf(databaseUrl, 5432);
      const nOk = await probe(n.host, n.port);
      const pOk = await probe(p.host, p.port);
      defaultLog(`NATS ${n.host}:${n.port} ${nOk ? "reachable" : "NOT reachable"}`);
      defaultLog(`PostgreSQL ${p.host}:${p.port} ${pOk ? "reachable" : "NOT reachable"}`);
      process.exitCode = nOk && pOk ? 0 : 1;
    } else if (cmd === "stop") {
      await stopLocalServices();
    } else if (cmd === "chromium") {
      defaultLog(`chromium: ${await ensureChromium()}`);
    } else {
      console.error("usage: node infra/local/services.mjs [up|status|stop|chromium]");
      process.exitCode = 2;
    }
  } catch (err) {
    console.error(`[services] ${err.message}`);
    process.exitCode = 1;
  }
}
