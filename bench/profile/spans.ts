/**
 * Turns the span probe's records (one per `order.place` request: its start/end and the
 * intervals of the saga, transaction, payment call, queries and pool waits) into a time
 * breakdown. Every instant of a request is given to the most specific thing active at that
 * instant, so the parts add up to the server time of the request.
 */
import { round, summarize, type LatencySummary } from "../lib/stats.js";

export interface SpanRecord {
  start: number;
  end: number;
  /** HTTP status of the response. */
  status: number;
  intervals: [label: string, start: number, end: number][];
}

export interface SpanBreakdown {
  /** Successful requests, the ones broken down (a refused request takes a different path). */
  requests: number;
  failedRequests: number;
  serverTime: LatencySummary;
  queriesPerRequest: number;
  transactionsPerRequest: number;
  parts: { part: string; meanMs: number; percent: number }[];
}

const outside = "HTTP, tRPC, auth, input validation, response";
const display: Record<string, string> = {
  "nats request": "payment authorize: NATS round trip incl. payment's work",
  "payment rpc": "payment authorize: client side (breaker, timeout, zod)",
  "pool wait": "waiting for a pooled connection",
  "unit of work": "transaction: Prisma/JS between its statements",
  "checkout saga": "checkout saga: JS outside queries (Prisma, domain)",
};

function priority(label: string): number {
  if (label === "nats request") return 7;
  if (label === "payment rpc") return 6;
  if (label.startsWith("db ")) return 5;
  if (label === "pool wait") return 4;
  if (label === "unit of work") return 3;
  if (label === "checkout saga") return 2;
  return 1;
}

function attribute(r: SpanRecord, into: Map<string, number>): void {
  const points = [...new Set([r.start, r.end, ...r.intervals.flatMap(([, a, b]) => [a, b])])]
    .filter((x) => x >= r.start && x <= r.end)
    .sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let best = outside;
    let bestP = 0;
    for (const [label, s, e] of r.intervals) {
      if (s <= a && e >= b && priority(label) > bestP) {
        best = label;
        bestP = priority(label);
      }
    }
    into.set(best, (into.get(best) ?? 0) + (b - a));
  }
}

/** Autocommit statements plus explicit transactions (BEGIN … COMMIT) of one request. */
function transactionsOf(r: SpanRecord): { queries: number; transactions: number } {
  const db = r.intervals.filter(([l]) => l.startsWith("db ")).sort((x, y) => x[1] - y[1]);
  let inTx = false;
  let transactions = 0;
  for (const [label] of db) {
    if (label === "db BEGIN") {
      inTx = true;
      transactions++;
    } else if (label === "db COMMIT" || label === "db ROLLBACK") inTx = false;
    else if (!inTx) transactions++;
  }
  const queries = db.filter(([l]) => !/^db (BEGIN|COMMIT|ROLLBACK)$/.test(l)).length;
  return { queries, transactions };
}

export function breakdown(all: SpanRecord[]): SpanBreakdown {
  const records = all.filter((r) => r.status >= 200 && r.status < 300);
  const totals = new Map<string, number>();
  let queries = 0;
  let transactions = 0;
  for (const r of records) {
    attribute(r, totals);
    const q = transactionsOf(r);
    queries += q.queries;
    transactions += q.transactions;
  }
  const n = Math.max(1, records.length);
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return {
    requests: records.length,
    failedRequests: all.length - records.length,
    serverTime: summarize(records.map((r) => r.end - r.start)),
    queriesPerRequest: round(queries / n, 1),
    transactionsPerRequest: round(transactions / n, 1),
    parts: [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([label, ms]) => ({
        part: display[label] ?? label,
        meanMs: round(ms / n, 2),
        percent: round((ms / sum) * 100, 1),
      })),
  };
}
