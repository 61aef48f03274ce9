/**
 * The context processes under test, started exactly as in production
 * (`node dist/main.js <context>`, the build `npm test` / `npm run chaos` makes first), and a supervisor that restarts a main worker
 * whenever it dies — as an orchestrator would — so a kill -9 is a crash and a restart, never
 * a permanent outage. Extra replicas (`order#b`) are not supervised: they come and go.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { apiDir, entryPoint } from "@baedal/api/build";
import type { FaultPoint } from "@baedal/events";
import { freePort } from "./infra.js";
import { sleep } from "./random.js";

export interface WorkerExit {
  key: string;
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it died: killed by the injector, a crash point it was armed with, or on its own. */
  cause: "injected-kill" | "crash-point" | "startup-failed" | "stopped" | "unexpected";
  tail: string;
}

interface Worker {
  key: string;
  context: string;
  port: number;
  supervised: boolean;
  faults: FaultPoint | null;
  child: ChildProcess | null;
  /** Set by the injector before it kills: the exit is ours, restart after `restartAfterMs`. */
  killedByUs: boolean;
  restartAfterMs: number;
  paused: boolean;
  tail: string[];
  log: WriteStream;
  starts: number;
  /** Answered /healthz since its last start. */
  up: boolean;
}

export interface WorkersOptions {
  logDir: string;
  env: Record<string, string>;
  log: (msg: string) => void;
}

export class Workers {
  private readonly workers = new Map<string, Worker>();
  readonly exits: WorkerExit[] = [];
  private closing = false;

  constructor(private readonly opts: WorkersOptions) {}

  urlOf(context: string): string {
    const w = this.workers.get(context);
    if (!w) throw new Error(`${context} is not running`);
    return `http://127.0.0.1:${w.port}`;
  }

  keys(): string[] {
    return [...this.workers.keys()];
  }

  /** Starts the main worker of each context and waits until every one answers /healthz. */
  async startAll(contexts: string[]): Promise<void> {
    for (const c of contexts) {
      this.workers.set(c, this.create(c, c, await freePort(), true));
      this.spawn(this.workers.get(c)!);
    }
    await Promise.all(contexts.map((c) => this.waitHealthy(c, 180_000)));
  }

  private create(key: string, context: string, port: number, supervised: boolean): Worker {
    return {
      key,
      context,
      port,
      supervised,
      faults: null,
      child: null,
      killedByUs: false,
      restartAfterMs: 0,
      paused: false,
      tail: [],
      log: createWriteStream(join(this.opts.logDir, `${key.replace("#", "-")}.log`), { flags: "a" }),
      starts: 0,
      up: false,
    };
  }

  private spawn(w: Worker): void {
    w.starts++;
    w.killedByUs = false;
    w.paused = false;
    w.tail = [];
    w.up = false;
    // CHAOS_WORKER_IMPORT: a module preloaded into every worker (instrumentation while debugging).
    const preload = process.env.CHAOS_WORKER_IMPORT ? ["--import", process.env.CHAOS_WORKER_IMPORT] : [];
    const child = spawn(
      process.execPath,
      [...preload, "--enable-source-maps", entryPoint("main"), w.context],
      {
        cwd: apiDir,
        env: {
          ...this.opts.env,
          PORT: String(w.port),
          BAEDAL_PROCESS: w.key,
          ...(w.faults ? { BAEDAL_FAULTS: w.faults } : {}),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    w.child = child;
    w.log.write(
      `\n==== start #${w.starts} ${new Date().toISOString()}${w.faults ? ` faults=${w.faults}` : ""}\n`,
    );
    const onData = (d: Buffer) => {
      w.log.write(d);
      w.tail.push(...d.toString().split("\n").filter(Boolean));
      if (w.tail.length > 40) w.tail.splice(0, w.tail.length - 40);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    // "close", not "exit": the crash point's last words must have been read by then.
    void this.watchUntilUp(w, child);
    child.once("close", (code, signal) => {
      if (w.child !== child) return;
      w.child = null;
      w.up = false;
      const tail = w.tail.slice(-12).join("\n");
      const crashPoint = tail.includes("fault injected: crashing at");
      // A process that cannot reach NATS or Postgres at start exits; the supervisor retries it.
      const startupFailed = tail.includes('"msg":"failed to start"');
      const cause: WorkerExit["cause"] = this.closing
        ? "stopped"
        : w.killedByUs
          ? "injected-kill"
          : crashPoint
            ? "crash-point"
            : startupFailed
              ? "startup-failed"
              : "unexpected";
      this.exits.push({ key: w.key, at: Date.now(), code, signal, cause, tail });
      w.log.write(`==== exit code=${code} signal=${signal} cause=${cause}\n`);
      if (cause === "unexpected")
        this.opts.log(`${w.key} exited on its own (code ${code}, signal ${signal})`);
      if (cause === "crash-point") w.faults = null; // it fired; come back clean
      if (!w.supervised || this.closing) return;
      const delay = cause === "injected-kill" ? w.restartAfterMs : cause === "startup-failed" ? 1_000 : 500;
      setTimeout(() => {
        if (!this.closing && w.child === null && this.workers.get(w.key) === w) this.spawn(w);
      }, delay);
    });
  }

  /** Marks the worker up once it answers /healthz (until it exits). */
  private async watchUntilUp(w: Worker, child: ChildProcess) {
    while (w.child === child && !this.closing) {
      const ok = await fetch(`http://127.0.0.1:${w.port}/healthz`, { signal: AbortSignal.timeout(1_000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok && w.child === child) {
        w.up = true;
        return;
      }
      await sleep(300);
    }
  }

  /** Main workers not serving right now (killed and restarting, or still starting). */
  down(): string[] {
    return [...this.workers.values()].filter((w) => w.supervised && !w.up).map((w) => w.key);
  }

  isUp(key: string): boolean {
    return this.workers.get(key)?.up ?? false;
  }

  async waitHealthy(key: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const w = this.workers.get(key);
      if (w?.child) {
        const ok = await fetch(`http://127.0.0.1:${w.port}/healthz`, { signal: AbortSignal.timeout(1_000) })
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${key} did not become healthy within ${timeoutMs / 1000}s:\n${w?.tail.join("\n") ?? ""}`,
        );
      }
      await sleep(250);
    }
  }

  /** kill -9; a main worker comes back after `downMs` (the supervisor restarts it). */
  async kill9(key: string, downMs: number): Promise<boolean> {
    const w = this.workers.get(key);
    if (!w?.child) return false;
    w.killedByUs = true;
    w.restartAfterMs = downMs;
    const child = w.child;
    const gone = new Promise((r) => child.once("close", r));
    if (w.paused) child.kill("SIGCONT");
    child.kill("SIGKILL");
    await gone;
    return true;
  }

  /** Restarts a main worker armed with a crash point: it kills itself when it first gets there. */
  async armCrashPoint(context: string, point: FaultPoint): Promise<boolean> {
    const w = this.workers.get(context);
    if (!w?.child || w.faults) return false;
    w.faults = point;
    return this.kill9(context, 200);
  }

  /** SIGSTOP for `ms`: the process hangs (a slow or unreachable dependency for its callers). */
  async pause(key: string, ms: number): Promise<boolean> {
    const w = this.workers.get(key);
    if (!w?.child || w.paused) return false;
    const child = w.child;
    w.paused = true;
    child.kill("SIGSTOP");
    await sleep(ms);
    if (w.child === child && w.paused) child.kill("SIGCONT");
    w.paused = false;
    return true;
  }

  /** A second replica of a context for `lifetimeMs`, then killed (-9) or stopped (TERM). */
  async replica(context: string, lifetimeMs: number, end: "kill" | "term"): Promise<boolean> {
    const key = `${context}#b`;
    if (this.workers.has(key)) return false;
    const w = this.create(key, context, await freePort(), false);
    this.workers.set(key, w);
    this.spawn(w);
    await sleep(lifetimeMs);
    await this.removeReplica(key, end);
    return true;
  }

  private async removeReplica(key: string, end: "kill" | "term") {
    const w = this.workers.get(key);
    if (!w) return;
    const child = w.child;
    if (child) {
      w.killedByUs = true;
      const gone = new Promise((r) => child.once("exit", r));
      if (w.paused) child.kill("SIGCONT");
      child.kill(end === "kill" ? "SIGKILL" : "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await gone;
      clearTimeout(timer);
    }
    w.log.end();
    this.workers.delete(key);
  }

  /**
   * Back to normal: no replicas, no armed crash points, no paused process, every main worker up
   * and healthy.
   */
  async restore(): Promise<void> {
    await Promise.all(
      [...this.workers.values()].filter((w) => !w.supervised).map((w) => this.removeReplica(w.key, "kill")),
    );
    for (const w of this.workers.values()) {
      if (w.paused && w.child) {
        w.child.kill("SIGCONT");
        w.paused = false;
      }
      if (w.faults && w.child) {
        w.faults = null;
        await this.kill9(w.key, 200);
      }
      w.faults = null;
    }
    await Promise.all([...this.workers.keys()].map((k) => this.waitHealthy(k, 120_000)));
  }

  async stopAll(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.workers.values()].map(async (w) => {
        const child = w.child;
        if (child) {
          const gone = new Promise((r) => child.once("exit", r));
          child.kill("SIGCONT");
          child.kill("SIGKILL");
          await gone;
        }
        w.log.end();
      }),
    );
  }
}
