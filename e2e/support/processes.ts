/**
 * Child processes of an E2E run (API contexts, Next apps, one-off scripts), each logging to its
 * own file. Used by global-setup.ts only; tests act on processes through stack.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no free port"))));
    });
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, isDead?: () => string | null) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = isDead?.();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const httpOk = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok;

const tail = (file: string, lines = 30) => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
};

export interface ProcessSpec {
  name: string;
  cmd: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** URL that answers 2xx once the process is ready. */
  healthUrl: string;
  startTimeoutMs?: number;
}

/**
 * A long-running process that can be stopped and started again with the same command, port and
 * environment. Not detached: it stays in the runner's process group, so killing the group (the
 * `npm test` timeout) takes it down too.
 */
export class ManagedProcess {
  private child: ChildProcess | null = null;
  private exitNote: string | null = null;
  readonly logFile: string;

  constructor(
    readonly spec: ProcessSpec,
    logDir: string,
  ) {
    this.logFile = join(logDir, `${spec.name}.log`);
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const { cmd, args, cwd, env, name, healthUrl } = this.spec;
    const log = createWriteStream(this.logFile, { flags: "a" });
    log.write(`\n--- start ${new Date().toISOString()}: ${cmd} ${args.join(" ")}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    this.child = child;
    this.exitNote = null;
    child.once("exit", (code, signal) => {
      this.exitNote = `exited (${signal ?? `code ${code}`}); last log lines of ${this.logFile}:\n${tail(this.logFile)}`;
      if (this.child === child) this.child = null;
      log.end();
    });
    await waitFor(`${name} at ${healthUrl}`, httpOk(healthUrl), this.spec.startTimeoutMs ?? 90_000, () =>
      this.child === child ? null : this.exitNote,
    );
  }

  /** SIGTERM (a graceful stop), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs a command to completion, its output in a log file; throws with the log's tail on failure. */
export async function runToEnd(name: string, cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logDir: string }) {
  const logFile = join(opts.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (c) => resolve(c));
  });
  await new Promise((r) => log.end(r));
  if (code !== 0) throw new Error(`${name} failed (exit ${code}); last lines of ${logFile}:\n${tail(logFile)}`);
}
