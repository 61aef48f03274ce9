/**
 * Integration harness: a fresh database and NATS namespace per test file, and each context in
 * its own OS process started exactly as in production (`node dist/main.js <context>`, built by the
 * suite's globalSetup when a source is newer).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { EventSource } from "eventsource";
import { connectMessaging, deleteNamespace } from "@baedal/events";
import { createBaedalClient, type BaedalClient } from "../../src/client.js";
import type { Actor, Role } from "../../src/platform/auth.js";
import { issueToken } from "../../testing/issue-token.js";
import type { ContextName } from "../../src/platform/config.js";
import { createPool } from "../../src/platform/db.js";
import { migrate } from "../../src/platform/migrate.js";
import { freePort } from "../free-port.js";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** This run's secrets: random per run, never in the repository (raw.ts signs tokens with the first). */
export const testAuthSecret = randomBytes(24).toString("hex");
/** Bearer token of /metrics and of /readyz's detail in every process a TestEnv starts. */
export const testMetricsToken = randomBytes(24).toString("hex");
const authSecret = testAuthSecret;

export interface ContextProcess {
  name: ContextName;
  url: string;
  port: number;
  child: ChildProcess;
  output: string[];
  /** SIGKILL, like a crash. */
  kill(): Promise<void>;
  /** SIGTERM, a graceful stop. */
  stop(): Promise<void>;
  exited: Promise<number | null>;
}


export async function waitFor<T>(
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
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The header that opens /metrics and the detail of /readyz. */
export const metricsAuth = { authorization: `Bearer ${testMetricsToken}` };

export class TestEnv {
  readonly ns = `t${randomBytes(4).toString("hex")}`;
  readonly databaseUrl: string;
  readonly natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
  readonly db: pg.Pool;
  readonly processes = new Map<string, ContextProcess>();
  private readonly ports = new Map<ContextName, number>();

  constructor() {
    const base = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
    base.pathname = `/baedal_${this.ns}`;
    this.databaseUrl = base.toString();
    this.db = new pg.Pool({ connectionString: this.databaseUrl, max: 4 });
    this.db.on("error", () => undefined);
  }

  async setup(): Promise<void> {
    await migrate(this.databaseUrl);
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.natsUrl,
      BAEDAL_NS: this.ns,
      AUTH_SECRET: authSecret,
      METRICS_TOKEN: testMetricsToken,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
      BAEDAL_RPC_TIMEOUT_MS: "5000",
      BAEDAL_BREAKER_FAILURES: "3",
      BAEDAL_BREAKER_HALF_OPEN_MS: "2000",
      BAEDAL_MAX_DELIVER: "4",
      SANDBOX_SLOW_MS: "9000",
      PAYMENT_RECONCILE_AFTER_MS: "10000",
      // Suites place many orders and sign in often from 127.0.0.1; the rate limit suite sets its own.
      RATE_LIMIT_ORDER_PER_CUSTOMER: "100000/1m",
      RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP: "100000/1m",
      RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: "100000/1m",
      RATE_LIMIT_SIGNIN_PER_IP: "100000/1m",
      RATE_LIMIT_SIGNUP_PER_IP: "100000/1m",
      // Webhook receivers in tests listen on 127.0.0.1 (security/webhook-ssrf.test.ts turns this off).
      WEBHOOK_ALLOW_PRIVATE: "1",
      ...extra,
    };
  }

  /** Starts one context as its own process (an extra replica gets its own key and port). */
  async start(name: ContextName, opts: { replica?: string; env?: Record<string, string> } = {}): Promise<ContextProcess> {
    const key = opts.replica ? `${name}#${opts.replica}` : name;
    const port = opts.replica ? await freePort() : (this.ports.get(name) ?? (await freePort()));
    if (!opts.replica) this.ports.set(name, port);
    const child = spawn(process.execPath, ["--enable-source-maps", "dist/main.js", name], {
      cwd: apiDir,
      env: this.env({ PORT: String(port), BAEDAL_PROCESS: key, ...opts.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
    child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const proc: ContextProcess = {
      name,
      url,
      port,
      child,
      output,
      exited,
      kill: async () => {
        child.kill("SIGKILL");
        await exited;
      },
      stop: async () => {
        child.kill("SIGTERM");
        await exited;
      },
    };
    this.processes.set(key, proc);
    let dead = false;
    void exited.then(() => (dead = true));
    await waitFor(`${key} to be healthy`, async () => {
      if (dead) throw new Error(`${key} exited:\n${output.join("")}`);
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.ok;
    }, 60_000);
    return proc;
  }

  async startAll(names: ContextName[]): Promise<void> {
    await Promise.all(names.map((n) => this.start(n)));
  }

  urlFor = (context: string) => {
    const port = this.ports.get(context as ContextName);
    if (!port) throw new Error(`${context} is not running`);
    return `http://127.0.0.1:${port}`;
  };

  /**
   * Events a consumer has applied so far in one process (a redelivery of an applied event counts
   * under `duplicates`), from its /readyz; `key` is a context's main process ("store") or a
   * replica ("store#b").
   */
  async consumerHandled(key: string, consumer: string): Promise<number> {
    return this.consumerCount(key, consumer, "handled");
  }

  /** One of a consumer's counts in one process (`handled`, `duplicates`, `failed`), from its /readyz. */
  async consumerCount(key: string, consumer: string, count: "handled" | "duplicates" | "failed"): Promise<number> {
    const { proc, detail } = await this.readiness(key);
    const n = (detail[proc.name] as { consumers?: Record<string, Record<string, number>> } | undefined)?.consumers?.[consumer]?.[count];
    if (n === undefined) throw new Error(`${key} has no consumer ${consumer}`);
    return n;
  }

  /** The state of a process's circuit breaker in front of `service` ("closed", "open", …). */
  async breakerState(key: string, service: string): Promise<string | undefined> {
    return ((await this.readiness(key)).detail.breakers as Record<string, string> | undefined)?.[service];
  }

  /** A process's Prometheus text (/metrics, with the token). */
  async metricsText(key: string): Promise<string> {
    const proc = this.processes.get(key);
    if (!proc) throw new Error(`${key} is not running`);
    return (await fetch(`${proc.url}/metrics`, { headers: metricsAuth })).text();
  }

  private async readiness(key: string) {
    const proc = this.processes.get(key);
    if (!proc) throw new Error(`${key} is not running`);
    const res = await fetch(`${proc.url}/readyz`, { headers: metricsAuth });
    return { proc, detail: ((await res.json()) as { detail: Record<string, unknown> }).detail };
  }

  /** A customer's My page feed entries per kind, e.g. { ORDER: 3, NOTIFICATION: 3 }. */
  async feedKinds(customerId: string, orderId?: string): Promise<Record<string, number>> {
    const rows = await this.query<{ kind: string; n: number }>(
      `SELECT payload->>'kind' AS kind, count(*)::int AS n FROM mypage.live_feed_entries
        WHERE feed = $1 AND ($2::text IS NULL OR payload->>'orderId' = $2) GROUP BY 1`,
      [customerId, orderId ?? null],
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  async client(actor: Actor | null): Promise<BaedalClient> {
    const token = actor ? await issueToken(authSecret, actor) : null;
    return createBaedalClient({
      urlFor: this.urlFor,
      headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
      EventSource: EventSource as unknown as typeof globalThis.EventSource,
    });
  }

  actor(role: Role, extra: Partial<Actor> = {}): Actor {
    return { userId: randomUUID(), role, name: `${role.toLowerCase()}-${randomBytes(2).toString("hex")}`, shopId: null, ...extra };
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.kill().catch(() => undefined)));
    await this.db.end().catch(() => undefined);
    const m = await connectMessaging({ url: this.natsUrl, ns: this.ns, name: "teardown" });
    await deleteNamespace(m);
    await m.nc.close();
    const admin = new pg.Client({ connectionString: this.databaseUrl.replace(/\/[^/]+$/, "/postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "baedal_${this.ns}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/**
 * A small pool whose connections count every statement they send (a context's Prisma client
 * built on it queries through them): `sent.statements`.
 */
export function countingPool(databaseUrl: string) {
  const pool = createPool(databaseUrl, 2);
  const sent = { statements: 0 };
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    client.query = ((...a: unknown[]) => (sent.statements++, query(...a))) as typeof client.query;
  });
  return { pool, sent };
}
