/**
 * The system under test: its own database and NATS namespace, and every context in its own OS
 * process started exactly as in production (`node dist/main.js <context>`, the built JavaScript),
 * the same approach as packages/api/test/integration/harness.ts — or all of them in one process
 * (`dist/main.js all`). The bench adds what a harness for measuring needs: extra node flags per
 * process (profilers, the memory probe), how long each took from spawn to healthy, per-process
 * CPU and memory readings from /proc, each process's work counters (/metrics), and Postgres'
 * statistics of the bench database.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { EventSource } from "eventsource";
import { connectMessaging, deleteNamespace, streamName, type Messaging } from "@baedal/events";
import { apiDir, entryPoint } from "@baedal/api/build";
import { createBaedalClient, type BaedalClient } from "@baedal/api/client";
import { contextNames, issueToken, migrate, type Actor, type ContextName } from "@baedal/api/testing";
import { benchProcessEnv } from "./bench-env.js";
import { httpFetch } from "./http-fetch.js";
import { mono, sleep } from "./stats.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The Node the context processes run on (`npm run bench` sets the images' Node 24), else this one. */
const contextNodeBin = process.env.BAEDAL_CONTEXT_NODE || process.execPath;
export const contextNodeVersion = (): string =>
  contextNodeBin === process.execPath
    ? process.version
    : execFileSync(contextNodeBin, ["--version"], { encoding: "utf8" }).trim();
/** This run's secrets: random per run, never in the repository. */
const authSecret = randomBytes(24).toString("hex");

export interface StartOptions {
  /** Extra node flags, e.g. `--cpu-prof` or `--import <probe>`. */
  nodeArgs?: string[];
  /**
   * Run the TypeScript sources through tsx instead of the build: for a probe that patches our
   * own classes (the spans probe), which a bundle does not expose as modules.
   */
  fromSource?: boolean;
  env?: Record<string, string>;
  /** Opens an IPC channel (the memory and span probes answer over it). */
  ipc?: boolean;
}

/** Node flags that load the memory probe into a context process (use with `ipc: true`). */
export const memoryProbeArgs = [
  "--expose-gc",
  "--import",
  pathToFileURL(join(repoRoot, "bench", "profile", "memory-probe.mjs")).href,
];

export interface ContextProcess {
  /** The context's name, or "all" for every context in one process. */
  name: string;
  contexts: readonly ContextName[];
  url: string;
  port: number;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** From spawn to the first healthy /healthz answer (polled every 100 ms). */
  startedInMs: number;
}

/** Postgres' counters of the bench database (pg_stat_database). */
export interface PgCounters {
  commits: number;
  rollbacks: number;
  inserted: number;
  updated: number;
  deleted: number;
}

/** CPU time (user + system) and resident memory of one process, from /proc. */
export interface ProcSample {
  cpuMs: number;
  rssBytes: number;
}

const clockTicks = 100; // USER_HZ on Linux

export function procSample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuMs: ((utime + stime) * 1000) / clockTicks, rssBytes: rssPages * 4096 };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ""}`);
    await sleep(intervalMs);
  }
}

export class BenchCluster {
  readonly ns = `bench${randomBytes(4).toString("hex")}`;
  readonly dbName = `baedal_${this.ns}`;
  readonly databaseUrl: string;
  readonly adminUrl: string;
  readonly natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
  readonly logDir = mkdtempSync(join(os.tmpdir(), "baedal-bench-"));
  /** The processes' /metrics answer only with it (METRICS_TOKEN). */
  readonly metricsToken = randomBytes(24).toString("hex");
  readonly processes = new Map<string, ContextProcess>();
  private readonly ports = new Map<ContextName, number>();
  private readonly startOptions = new Map<string, StartOptions>();
  private admin: pg.Client | undefined;
  private messaging: Messaging | undefined;

  constructor() {
    const base = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
    this.adminUrl = base.toString();
    base.pathname = `/${this.dbName}`;
    this.databaseUrl = base.toString();
  }

  async setup(): Promise<void> {
    await migrate(this.databaseUrl);
    this.admin = new pg.Client({ connectionString: this.adminUrl });
    this.admin.on("error", () => undefined);
    await this.admin.connect();
  }

  /** One NATS connection of the bench itself (stream and consumer info, baselines). */
  async nats(): Promise<Messaging> {
    this.messaging ??= await connectMessaging({ url: this.natsUrl, ns: this.ns, name: "bench" });
    return this.messaging;
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...benchProcessEnv(),
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.natsUrl,
      BAEDAL_NS: this.ns,
      AUTH_SECRET: authSecret,
      METRICS_TOKEN: this.metricsToken,
      ...extra,
    };
  }

  /** Starts one context as its own process and waits until it answers /healthz. */
  async start(name: ContextName, opts?: StartOptions): Promise<ContextProcess> {
    const port = this.ports.get(name) ?? (await freePort());
    this.ports.set(name, port);
    return this.spawnProcess(name, [name], port, opts ?? this.startOptions.get(name) ?? {});
  }

  /** Starts every context in one process (`main.ts all`), which then serves all of them. */
  async startAllInOne(opts: StartOptions = {}): Promise<ContextProcess> {
    const port = await freePort();
    const p = await this.spawnProcess("all", [...contextNames], port, opts);
    for (const c of contextNames) this.ports.set(c, port);
    return p;
  }

  private async spawnProcess(
    name: string,
    contexts: readonly ContextName[],
    port: number,
    opts: StartOptions,
  ): Promise<ContextProcess> {
    this.startOptions.set(name, opts);
    const logFile = join(this.logDir, `${name}.log`);
    const fd = openSync(logFile, "a");
    const child = spawn(
      contextNodeBin,
      [
        ...(opts.fromSource ? ["--import", "tsx"] : ["--enable-source-maps"]),
        ...(opts.nodeArgs ?? []),
        entryPoint("main", { fromSource: opts.fromSource }),
        ...(name === "all" ? ["all"] : contexts),
      ],
      {
        cwd: apiDir,
        env: this.env({ PORT: String(port), BAEDAL_PROCESS: name, ...opts.env }),
        stdio: ["ignore", fd, fd, ...(opts.ipc ? (["ipc"] as const) : [])],
      },
    );
    closeSync(fd);
    const spawnedAt = mono();
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const proc: ContextProcess = {
      name,
      contexts,
      url: `http://127.0.0.1:${port}`,
      port,
      child,
      logFile,
      exited,
      startedInMs: Number.NaN,
    };
    this.processes.set(name, proc);
    let dead = false;
    void exited.then(() => (dead = true));
    await waitUntil(
      `${name} to be healthy`,
      async () => {
        if (dead) throw new Error(`${name} exited:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
        const res = await fetch(`${proc.url}/healthz`).catch(() => null);
        return res?.ok;
      },
      90_000,
      100,
    );
    proc.startedInMs = Math.round(mono() - spawnedAt);
    return proc;
  }

  async startAll(names: readonly ContextName[], opts: Partial<Record<ContextName, StartOptions>> = {}) {
    await Promise.all(names.map((n) => this.start(n, opts[n])));
  }

  /** A graceful stop (SIGTERM): the process drains its outbox and writes its CPU profile, if any. */
  async stop(name: string): Promise<void> {
    const p = this.processes.get(name);
    if (!p || p.child.exitCode !== null) return;
    p.child.kill("SIGTERM");
    await Promise.race([p.exited, sleep(20_000)]);
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  }

  /** Gracefully stops every running process, all at once. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((n) => this.stop(n)));
    this.processes.clear();
  }

  /** The running processes. */
  running(): ContextProcess[] {
    return [...this.processes.values()].filter((p) => p.child.pid && p.child.exitCode === null);
  }

  /**
   * Postgres' counters of the bench database, read over a connection to another database so
   * that reading them does not count itself. Backends report when idle, and no more than once a
   * second each: what a backend did less than a second after its last report waits until it is
   * idle for 10 s or works again (PGSTAT_IDLE_INTERVAL), so read well after a burst.
   */
  async pgCounters(): Promise<PgCounters> {
    const { rows } = await this.admin!.query<Record<keyof PgCounters, string>>(
      `SELECT xact_commit::text AS commits, xact_rollback::text AS rollbacks, tup_inserted::text AS inserted,
              tup_updated::text AS updated, tup_deleted::text AS deleted
         FROM pg_stat_database WHERE datname = $1`,
      [this.dbName],
    );
    const r = rows[0];
    return {
      commits: Number(r?.commits ?? 0),
      rollbacks: Number(r?.rollbacks ?? 0),
      inserted: Number(r?.inserted ?? 0),
      updated: Number(r?.updated ?? 0),
      deleted: Number(r?.deleted ?? 0),
    };
  }

  urlFor = (context: string) => {
    const port = this.ports.get(context as ContextName);
    if (!port) throw new Error(`${context} is not running`);
    return `http://127.0.0.1:${port}`;
  };

  async client(actor: Actor): Promise<BaedalClient> {
    const token = await issueToken(authSecret, actor);
    const headers = { authorization: `Bearer ${token}` };
    return createBaedalClient({
      urlFor: this.urlFor,
      headers: () => headers,
      fetch: httpFetch,
      EventSource: EventSource as unknown as typeof globalThis.EventSource,
    });
  }

  /** Asks a probe preloaded into a context process (started with `ipc: true`) and returns its answer. */
  async ask<T>(
    name: string,
    type: string,
    timeoutMs = 30_000,
    extra: Record<string, unknown> = {},
  ): Promise<T> {
    const child = this.processes.get(name)?.child;
    if (!child?.send) throw new Error(`${name} was not started with an IPC channel for a probe`);
    const id = Math.random();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off("message", onMessage);
        reject(new Error(`${name} did not answer ${type}`));
      }, timeoutMs);
      const onMessage = (m: { type?: string; id?: number }) => {
        if (m?.type !== type || m.id !== id) return;
        clearTimeout(timer);
        child.off("message", onMessage);
        resolve(m as T);
      };
      child.on("message", onMessage);
      child.send({ ...extra, type, id });
    });
  }

  /** Heap and RSS after a full garbage collection, from a process started with `memoryProbeArgs`. */
  async memory(name: ContextName): Promise<NodeJS.MemoryUsage> {
    return (await this.ask<{ usage: NodeJS.MemoryUsage }>(name, "bench:memory")).usage;
  }

  /** CPU and memory of every running context process. */
  sampleAll(): Record<string, ProcSample> {
    const out: Record<string, ProcSample> = {};
    for (const [name, p] of this.processes) {
      if (p.child.pid && p.child.exitCode === null) out[name] = procSample(p.child.pid);
    }
    return out;
  }

  /** Messages the stream's consumers still have to handle, and the stream's last sequence. */
  async backlog(): Promise<{ pending: number; lastSeq: number }> {
    const m = await this.nats();
    const stream = streamName(this.ns);
    const info = await m.jsm.streams.info(stream);
    let pending = 0;
    for await (const c of m.jsm.consumers.list(stream)) pending += c.num_pending + c.num_ack_pending;
    return { pending, lastSeq: info.state.last_seq };
  }

  /**
   * Waits until every consumer has caught up and no new event appeared for a moment (outboxes
   * drained), then one more second so Postgres' statistics are flushed. Bounded: returns false
   * if the system did not go quiet in time.
   */
  async quiesce(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let prev = -1;
    let quietRounds = 0;
    while (Date.now() < deadline) {
      const { pending, lastSeq } = await this.backlog();
      quietRounds = pending === 0 && lastSeq === prev ? quietRounds + 1 : 0;
      prev = lastSeq;
      if (quietRounds >= 2) {
        await sleep(1_100);
        return true;
      }
      await sleep(400);
    }
    return false;
  }

  async teardown(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(async (p) => {
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
        await p.exited;
      }),
    );
    const m = await this.nats().catch(() => undefined);
    if (m) {
      await deleteNamespace(m);
      await m.nc.close();
    }
    if (this.admin) {
      await this.admin.query(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`).catch(() => undefined);
      await this.admin.end();
    }
  }
}
