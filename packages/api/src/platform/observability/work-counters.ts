import type pg from "pg";
import type { Messaging } from "@baedal/events";
import { Counter } from "prom-client";
import { registry } from "./metrics.js";

/**
 * What a process asks of Postgres and NATS, counted where it is asked: the cost of an order in
 * statements, transactions and messages (bench/ divides these by completed orders). Cheap enough
 * to stay on in production: one counter increment per statement, NATS' own counters read at
 * scrape time.
 */

const dbStatements = new Counter({
  name: "baedal_db_statements_total",
  help: "SQL statements sent through the context's pg pool (Prisma's included; BEGIN/COMMIT too)",
  labelNames: ["context"] as const,
  registers: [registry],
});

const dbTransactions = new Counter({
  name: "baedal_db_transactions_total",
  help: "Postgres transactions begun by the context's pool: each BEGIN, and each statement sent outside one (autocommit)",
  labelNames: ["context"] as const,
  registers: [registry],
});

const leadingWords = (text: string) =>
  /^\s*(\w+)(?:\s+(\w+))?/
    .exec(text)
    ?.slice(1, 3)
    .map((w) => w?.toUpperCase());

/**
 * Counts every statement a client of `pool` sends. pg's pool.query and Prisma's adapter (plain
 * queries and interactive transactions alike) all go through the client's query method, so
 * wrapping it on each new connection sees everything. A connection is inside a transaction from
 * BEGIN until COMMIT/ROLLBACK (not ROLLBACK TO SAVEPOINT); anything sent outside one is its own
 * transaction, as Postgres counts it.
 */
export function countStatements(pool: pg.Pool, context: string): void {
  const labels = { context };
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    let inTransaction = false;
    client.query = ((...args: unknown[]) => {
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === "string" ? first : (first?.text ?? "");
      const [verb, next] = leadingWords(text) ?? [];
      dbStatements.inc(labels);
      if (verb === "BEGIN" || (verb === "START" && next === "TRANSACTION")) {
        inTransaction = true;
        dbTransactions.inc(labels);
      } else if (verb === "COMMIT" || verb === "END" || (verb === "ROLLBACK" && next !== "TO")) {
        inTransaction = false;
      } else if (!inTransaction) {
        dbTransactions.inc(labels);
      }
      return query(...args);
    }) as typeof client.query;
  });
}

/** The connections whose counts feed baedal_nats_messages_total (one per process in practice). */
const natsConnections = new Map<Messaging["nc"], { in: number; out: number }>();

new Counter({
  name: "baedal_nats_messages_total",
  help: "Messages this process's NATS connection sent (out) and received (in): events, pulls, acks, requests, replies, pings of live screens",
  labelNames: ["direction"] as const,
  registers: [registry],
  // Called by prom-client on every scrape: adds what the connections counted since the last one.
  collect() {
    for (const [nc, seen] of natsConnections) {
      const s = nc.stats();
      for (const [direction, now] of [
        ["in", s.inMsgs],
        ["out", s.outMsgs],
      ] as const) {
        if (now > seen[direction]) this.inc({ direction }, now - seen[direction]);
        seen[direction] = Math.max(seen[direction], now);
      }
    }
  },
});

/** Counts the messages of this NATS connection in baedal_nats_messages_total. */
export function countNatsMessages(nc: Messaging["nc"]): void {
  if (!natsConnections.has(nc)) natsConnections.set(nc, { in: 0, out: 0 });
}
