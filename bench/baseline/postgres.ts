/**
 * What Postgres on this machine allows, with the pg client only (no Prisma, no Baedal code):
 * single-row INSERT transactions (autocommit, durable commit as configured on the server) from
 * N connections in a closed loop. The row is about the size of an order row. The table lives
 * in a scratch schema of the bench database and is dropped afterwards.
 */
import pg from "pg";
import { mono, round, summarize, type LatencySummary } from "../lib/stats.js";

interface PgLevel {
  connections: number;
  transactions: number;
  perSecond: number;
  latency: LatencySummary;
}

export interface PgBaseline {
  levels: PgLevel[];
  /** The best transactions/s over the levels: what the database can commit on this machine. */
  maxPerSecond: number;
  settings: Record<string, string>;
}

export async function postgresBaseline(
  databaseUrl: string,
  opts: { connections: number[]; seconds: number; log: (m: string) => void },
): Promise<PgBaseline> {
  const setup = new pg.Client({ connectionString: databaseUrl });
  setup.on("error", () => undefined);
  await setup.connect();
  const settings: Record<string, string> = {};
  for (const name of [
    "synchronous_commit",
    "fsync",
    "wal_sync_method",
    "shared_buffers",
    "max_connections",
  ]) {
    settings[name] = (await setup.query(`SHOW ${name}`)).rows[0][name];
  }
  settings.server_version = (await setup.query("SHOW server_version")).rows[0].server_version;
  await setup.query(`CREATE SCHEMA IF NOT EXISTS bench_raw`);
  await setup.query(`DROP TABLE IF EXISTS bench_raw.rows`);
  await setup.query(`CREATE TABLE bench_raw.rows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL,
    status text NOT NULL,
    total_krw integer NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now())`);
  const payload = JSON.stringify({
    address: "서울 마포구 월드컵북로 396, 101동 1203호",
    note: "x".repeat(300),
  });
  const levels: PgLevel[] = [];
  try {
    for (const n of opts.connections) {
      const clients = Array.from({ length: n }, () => {
        const c = new pg.Client({ connectionString: databaseUrl });
        c.on("error", () => undefined); // the database is dropped at the end of the run
        return c;
      });
      const connected = await Promise.allSettled(clients.map((c) => c.connect()));
      const failed = connected.find((x) => x.status === "rejected");
      if (failed) {
        await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
        throw new Error(`could not open ${n} connections: ${String(failed.reason)}`);
      }
      const samples: number[] = [];
      const t0 = mono();
      const deadline = t0 + opts.seconds * 1000;
      await Promise.all(
        clients.map(async (c) => {
          while (mono() < deadline) {
            const t = mono();
            await c.query(
              `INSERT INTO bench_raw.rows (customer_id, status, total_krw, payload) VALUES (gen_random_uuid(), 'PLACED', 62000, $1::jsonb)`,
              [payload],
            );
            samples.push(mono() - t);
          }
        }),
      );
      const seconds = (mono() - t0) / 1000;
      await Promise.all(clients.map((c) => c.end()));
      const level = {
        connections: n,
        transactions: samples.length,
        perSecond: Math.round(samples.length / seconds),
        latency: summarize(samples),
      };
      opts.log(`Postgres insert x${n}: ${level.perSecond} tx/s, p99 ${level.latency.p99} ms`);
      levels.push(level);
    }
  } finally {
    await setup.query(`DROP SCHEMA bench_raw CASCADE`).catch(() => undefined);
    await setup.end();
  }
  return {
    levels,
    maxPerSecond: Math.max(...levels.map((l) => l.perSecond)),
    settings: { ...settings, seconds: String(round(opts.seconds)) },
  };
}
