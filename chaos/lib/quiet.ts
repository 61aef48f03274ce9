/**
 * "The system went quiet": nothing left in any outbox, no message pending on any durable
 * consumer, no checkout waiting for reconciliation, no rider fee waiting for settlement — and
 * nothing changed between two looks. The checker only makes sense after that.
 */
import type pg from "pg";
import { connectMessaging, streamName } from "@baedal/events";
import { contextSchemas } from "@baedal/api/testing";
import { sleep } from "./random.js";

export interface QuietResult {
  quiet: boolean;
  waitedMs: number;
  /** What was still moving when we stopped waiting (empty when quiet). */
  busy: string[];
}

async function snapshot(
  db: pg.Pool,
  natsUrl: string,
  ns: string,
): Promise<{ busy: string[]; fingerprint: string }> {
  const busy: string[] = [];
  const parts: string[] = [];
  for (const schema of new Set(Object.values(contextSchemas))) {
    const { rows } = await db.query<{ unpublished: number; total: number; processed: number }>(
      `SELECT (SELECT count(*) FROM "${schema}".outbox WHERE published_at IS NULL)::int AS unpublished,
              (SELECT count(*) FROM "${schema}".outbox)::int AS total,
              (SELECT count(*) FROM "${schema}".processed_event)::int AS processed`,
    );
    const r = rows[0]!;
    if (r.unpublished > 0) busy.push(`${schema}: ${r.unpublished} unpublished event(s)`);
    parts.push(`${r.total}/${r.processed}`);
  }
  const { rows: open } = await db.query<{ attempts: number; settlements: number }>(
    `SELECT (SELECT count(*) FROM ordering.checkout_attempts WHERE status IN ('PENDING', 'UNKNOWN', 'UNSENT', 'VOIDING'))::int AS attempts,
            (SELECT count(*) FROM delivery.rider_calls WHERE settlement_status = 'PENDING')::int AS settlements`,
  );
  if (open[0]!.attempts > 0) busy.push(`${open[0]!.attempts} checkout(s) awaiting reconciliation`);
  if (open[0]!.settlements > 0) busy.push(`${open[0]!.settlements} rider fee(s) awaiting settlement`);
  parts.push(`${open[0]!.attempts}/${open[0]!.settlements}`);

  const m = await connectMessaging({ url: natsUrl, ns, name: "chaos-quiet" });
  try {
    for await (const c of m.jsm.consumers.list(streamName(ns))) {
      const pending = c.num_pending + c.num_ack_pending;
      if (pending > 0) busy.push(`${c.name}: ${pending} message(s) pending`);
      parts.push(`${c.name}:${c.delivered.stream_seq}`);
    }
  } finally {
    await m.nc.close();
  }
  return { busy, fingerprint: parts.join(" ") };
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms).unref(),
    ),
  ]);

export async function waitForQuiet(
  db: pg.Pool,
  natsUrl: string,
  ns: string,
  maxWaitMs: number,
  log: (msg: string) => void,
): Promise<QuietResult> {
  const started = Date.now();
  let previous = "";
  let busy: string[] = ["not looked yet"];
  let lastLog = started;
  while (Date.now() - started < maxWaitMs) {
    try {
      const s = await withTimeout(snapshot(db, natsUrl, ns), 15_000);
      busy = s.busy;
      if (Date.now() - lastLog > 10_000 && busy.length) {
        log(`still busy: ${busy.join("; ")}`);
        lastLog = Date.now();
      }
      if (s.busy.length === 0 && s.fingerprint === previous)
        return { quiet: true, waitedMs: Date.now() - started, busy: [] };
      previous = s.fingerprint;
    } catch (err) {
      busy = [`could not look: ${String(err)}`];
      previous = "";
    }
    await sleep(1_500);
  }
  return { quiet: false, waitedMs: Date.now() - started, busy };
}
