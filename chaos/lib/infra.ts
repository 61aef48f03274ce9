/**
 * The chaos suite's own NATS and Postgres: started on free ports with their data in a temp
 * directory, so restarting them never touches the shared servers other tests use.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { sleep } from "./random.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no free port")),
      );
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

async function waitAccepting(port: number, what: string, isDead: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accepts(port)) return;
    if (isDead()) throw new Error(`${what} exited before accepting connections on port ${port}`);
    await sleep(100);
  }
  throw new Error(`${what} did not accept connections on port ${port} within ${timeoutMs / 1000}s`);
}

const isRoot = () => process.getuid?.() === 0;

/** nats-server with JetStream; its store survives a restart, as a real server's disk would. */
export class PrivateNats {
  private child: ChildProcess | undefined;
  private exited = true;
  readonly storeDir: string;
  readonly logFile: string;
  restarts = 0;

  private constructor(
    readonly port: number,
    dir: string,
  ) {
    this.storeDir = join(dir, "nats");
    this.logFile = join(dir, "nats.log");
    mkdirSync(this.storeDir, { recursive: true });
  }

  static async start(dir: string): Promise<PrivateNats> {
    const n = new PrivateNats(await freePort(), dir);
    await n.up();
    return n;
  }

  get url() {
    return `nats://127.0.0.1:${this.port}`;
  }

  private async up() {
    const fd = openSync(this.logFile, "a");
    const child = spawn(
      "nats-server",
      ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir],
      {
        stdio: ["ignore", fd, fd],
      },
    );
    closeSync(fd);
    this.child = child;
    this.exited = false;
    child.once("exit", () => {
      if (this.child === child) this.exited = true;
    });
    child.once("error", () => (this.exited = true));
    await waitAccepting(this.port, "nats-server", () => this.exited);
  }

  /** Kills the server (SIGKILL: nothing flushed on the way out) and starts it again after `downMs`. */
  async restart(downMs: number): Promise<void> {
    await this.kill();
    await sleep(downMs);
    await this.up();
    this.restarts++;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await gone;
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

function pgBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new Error(
      "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)",
    );
  return join(root, versions[0], "bin");
}

/**
 * A throw-away Postgres cluster (trust auth). As root, its tools run as the `postgres` OS user,
 * because Postgres refuses to run as root.
 */
export class PrivatePostgres {
  readonly dataDir: string;
  readonly sockDir: string;
  readonly logFile: string;
  private readonly bin = pgBinDir();
  restarts = 0;
  private admin: pg.Pool | undefined;

  private constructor(
    readonly port: number,
    dir: string,
  ) {
    this.dataDir = join(dir, "pg");
    this.sockDir = join(dir, "pg-socket");
    this.logFile = join(dir, "pg.log");
  }

  static async start(dir: string): Promise<PrivatePostgres> {
    const p = new PrivatePostgres(await freePort(), dir);
    await p.init();
    await p.up();
    return p;
  }

  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database = "postgres") {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private command(name: string, args: string[]): [string, string[]] {
    const bin = join(this.bin, name);
    return isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  }

  /** Runs a Postgres tool without blocking the event loop (the driver keeps going meanwhile). */
  private tool(name: string, args: string[]): Promise<{ status: number | null; output: string }> {
    const [cmd, argv] = this.command(name, args);
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, argv, { cwd: "/", stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.once("error", reject);
      // "exit", not "close": the postmaster pg_ctl starts may inherit our pipes and outlive it.
      child.once("exit", (status) => resolve({ status, output }));
    });
  }

  private async init() {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.sockDir, { recursive: true });
    writeFileSync(this.logFile, "");
    if (isRoot()) spawnSync("chown", ["-R", "postgres:postgres", this.dataDir, this.sockDir, this.logFile]);
    const r = await this.tool("initdb", [
      "-D",
      this.dataDir,
      "--auth=trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-locale",
    ]);
    if (r.status !== 0) throw new Error(`initdb failed:\n${r.output}`);
  }

  private async up() {
    // fsync=off: a killed postmaster loses nothing (the OS keeps what was written), and the
    // suite is not slowed by disk flushes. Commits stay synchronous, as in production.
    const opts = [
      `-p ${this.port}`,
      `-k ${this.sockDir}`,
      "-c listen_addresses=127.0.0.1",
      "-c max_connections=300",
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c shared_buffers=64MB",
    ].join(" ");
    const r = await this.tool("pg_ctl", [
      "-D",
      this.dataDir,
      "-l",
      this.logFile,
      "-w",
      "-t",
      "120",
      "-o",
      opts,
      "start",
    ]);
    if (r.status !== 0) throw new Error(`pg_ctl start failed:\n${r.output}`);
    await waitAccepting(this.port, "postgres", () => false);
  }

  /** Stops the postmaster abruptly (`-m immediate`: like a crash, recovery on start) and starts it again. */
  async restart(downMs: number): Promise<void> {
    await this.tool("pg_ctl", ["-D", this.dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
    await sleep(downMs);
    await this.up();
    this.restarts++;
  }

  /** Terminates every server process of `database` (the contexts' pool connections). */
  async killConnections(database: string): Promise<number> {
    this.admin ??= resilientPool(this.url(), 1);
    const { rows } = await this.admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows[0]?.n ?? 0;
  }

  async stop(): Promise<void> {
    await this.admin?.end().catch(() => undefined);
    await this.tool("pg_ctl", ["-D", this.dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
  }
}

/** A temp directory the postgres OS user can traverse (mkdtemp makes it 0700). */
export function openToPostgres(dir: string) {
  chmodSync(dir, 0o755);
}

/**
 * A pool that survives its connections being killed (the suite kills them on purpose): errors
 * of idle clients and of clients just handed out are heard (see packages/api/src/platform/db.ts)
 * and surface through the queries instead.
 */
export function resilientPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}
