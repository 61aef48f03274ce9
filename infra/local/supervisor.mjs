// Keeps `npm start`'s long-running processes up, as an orchestrator would in production: a process
// that exits on its own is restarted after an exponential backoff (capped; the count of crashes
// in a row starts again once a process has stayed up a while), and the others keep running. A
// process stopped on purpose (`stop`) stays down until `start`. Node built-ins only.
import { EventEmitter } from "node:events";
import { signalGroup, spawnTagged } from "./lib.mjs";

export const defaultBackoff = { baseMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

/** The wait before the restart that follows the `crashesInARow`-th crash (1-based): base·2ⁿ⁻¹, capped. */
export function restartDelay(crashesInARow, { baseMs, maxMs }) {
  return Math.min(baseMs * 2 ** Math.max(0, crashesInARow - 1), maxMs);
}

/**
 * The count of crashes in a row once a process crashed after `upMs` up: one more, or a first one
 * when it had stayed up `resetAfterMs` (it was healthy; this is a new incident, not a crash loop).
 */
export function countCrash(before, upMs, { resetAfterMs }) {
  return upMs >= resetAfterMs ? 1 : before + 1;
}

/** "850ms", "12s", "3m05s". */
export function formatMs(ms) {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1_000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;
const exitOf = (child) =>
  new Promise((resolve) => (hasExited(child) ? resolve() : child.once("exit", () => resolve())));

/**
 * Supervised processes by name. Each one is spawned in its own process group (spawnTagged), so
 * stopping it, or clearing up after it crashed, reaches whatever it started too.
 *
 * Events: "spawn" (name, pid), "crash" (name, { code, signal, delayMs }), "exit" (name, { code, signal }).
 */
export class Supervisor extends EventEmitter {
  #procs = new Map();
  #closing = false;

  /**
   * @param {object} [o]
   * @param {(msg: string) => void} [o.log]
   * @param {Partial<typeof defaultBackoff>} [o.backoff]
   * @param {number} [o.stopGraceMs] SIGTERM, then SIGKILL after this long
   * @param {typeof spawnTagged} [o.spawn]
   */
  constructor({ log = console.log, backoff = {}, stopGraceMs = 30_000, spawn = spawnTagged } = {}) {
    super();
    this.log = log;
    this.backoff = { ...defaultBackoff, ...backoff };
    this.stopGraceMs = stopGraceMs;
    this.spawn = spawn;
  }

  /**
   * Registers a process (not started yet). `args` may be a function, read at every (re)start: the
   * all-in-one API's list of contexts changes when one is stopped.
   * @param {{ name: string, cmd: string, args: string[] | (() => string[]), cwd?: string, env?: NodeJS.ProcessEnv, tag?: string }} spec
   */
  add(spec) {
    if (this.#procs.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
    this.#procs.set(spec.name, {
      spec,
      child: null,
      want: "stopped",
      state: "stopped",
      crashesInARow: 0,
      restarts: 0,
      startedAt: null,
      lastExit: null,
      timer: null,
      restartAt: null,
    });
  }

  has(name) {
    return this.#procs.has(name);
  }

  #get(name) {
    const p = this.#procs.get(name);
    if (!p) throw new Error(`no process named ${name}`);
    return p;
  }

  /** Whether `name` is meant to run (started and not stopped since), whatever it does right now. */
  wanted(name) {
    return this.#get(name).want === "running";
  }

  /** The running child of `name`, or null. */
  child(name) {
    return this.#get(name).child;
  }

  /** Starts `name` (a no-op when it runs) and wants it kept up; a pending restart happens now. */
  start(name) {
    if (this.#closing) throw new Error("shutting down");
    const p = this.#get(name);
    p.want = "running";
    this.#cancelRestart(p);
    if (p.child) return p.child;
    p.crashesInARow = 0; // started on purpose: a fresh backoff
    return this.#spawn(p);
  }

  /** Stops `name` and keeps it down until `start`: SIGTERM, SIGKILL after the grace period. */
  async stop(name) {
    const p = this.#get(name);
    p.want = "stopped";
    this.#cancelRestart(p);
    const child = p.child;
    if (!child) {
      p.state = "stopped";
      return;
    }
    p.state = "stopping";
    signalGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), this.stopGraceMs);
    await exitOf(child);
    clearTimeout(timer);
  }

  async restart(name) {
    await this.stop(name);
    return this.start(name);
  }

  /** Stops every process, restarting none of them, and resolves once they have all exited. */
  async shutdown() {
    this.#closing = true;
    await Promise.all([...this.#procs.keys()].map((name) => this.stop(name)));
  }

  /** What each process is doing now. */
  status() {
    const now = Date.now();
    return [...this.#procs.entries()].map(([name, p]) => ({
      name,
      state: p.state,
      pid: p.child?.pid ?? null,
      upMs: p.child && p.startedAt ? now - p.startedAt : null,
      restarts: p.restarts,
      crashesInARow: p.crashesInARow,
      restartInMs: p.restartAt ? Math.max(0, p.restartAt - now) : null,
      lastExit: p.lastExit,
    }));
  }

  #cancelRestart(p) {
    clearTimeout(p.timer);
    p.timer = null;
    p.restartAt = null;
  }

  #spawn(p) {
    const { name, cmd, args, cwd, env, tag } = p.spec;
    const child = this.spawn(cmd, typeof args === "function" ? args() : args, { cwd, env, tag: tag ?? name });
    p.child = child;
    p.state = "running";
    p.startedAt = Date.now();
    let settled = false;
    const exited = (code, signal) => {
      if (settled) return;
      settled = true;
      this.#exited(p, child, code, signal);
    };
    child.once("exit", exited);
    child.once("error", (err) => {
      this.log(`${name}: ${err.message}`);
      exited(null, null);
    });
    this.emit("spawn", name, child.pid);
    return child;
  }

  #exited(p, child, code, signal) {
    const { name } = p.spec;
    if (child.pid) signalGroup(child.pid, "SIGKILL"); // whatever it left behind (a port holder)
    if (p.child !== child) return;
    const upMs = Date.now() - (p.startedAt ?? Date.now());
    p.child = null;
    p.startedAt = null;
    p.lastExit = { code, signal, upMs, at: new Date().toISOString() };
    const why = signal ? `signal ${signal}` : `code ${code}`;
    if (p.want !== "running" || this.#closing) {
      p.state = "stopped";
      this.emit("exit", name, { code, signal });
      return;
    }
    p.crashesInARow = countCrash(p.crashesInARow, upMs, this.backoff);
    const delayMs = restartDelay(p.crashesInARow, this.backoff);
    p.state = "backoff";
    p.restartAt = Date.now() + delayMs;
    this.log(
      `${name} exited unexpectedly (${why}) after ${formatMs(upMs)} up; restarting in ${formatMs(delayMs)}` +
        ` (crash ${p.crashesInARow} in a row)`,
    );
    this.emit("crash", name, { code, signal, delayMs });
    p.timer = setTimeout(() => {
      p.timer = null;
      p.restartAt = null;
      if (p.want !== "running" || this.#closing || p.child) return;
      p.restarts++;
      const next = this.#spawn(p);
      this.log(`${name} restarted (pid ${next.pid}, restart ${p.restarts})`);
    }, delayMs);
  }
}
