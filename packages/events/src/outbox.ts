import type { Pool } from "pg";
import type { EventEnvelope } from "./envelope.js";
import { currentScope, directSql, outsideTransaction, transactionScope } from "./direct-sql.js";
import { crashPoint } from "./faults.js";
import { eventSubject, type Messaging } from "./nats.js";
import { quoteIdent, type SqlExecutor, type TransactionRunner } from "./sql.js";
import {
  SpanKind,
  annotate,
  contextFromCarrier,
  detached,
  inSpan,
  messagingObserver,
  natsTraceHeaders,
  traceCarrier,
  type TraceCarrier,
} from "./telemetry.js";

/** An event to store in the outbox, with the trace context of the work that caused it. */
export interface OutboxRow {
  event: EventEnvelope;
  trace: TraceCarrier | null;
}

/**
 * Writes events into the context's outbox inside the caller's transaction, with the trace context
 * of the work that caused them (so the relay can continue that trace when it publishes).
 */
export async function appendToOutbox(
  tx: SqlExecutor,
  schema: string,
  ns: string,
  events: EventEnvelope[],
  trace: TraceCarrier | null = traceCarrier(),
) {
  await appendRowsToOutbox(
    tx,
    schema,
    ns,
    events.map((event) => ({ event, trace })),
  );
}

/** The outbox write itself: one multi-row INSERT, whatever the number of events (none: no statement). */
async function appendRowsToOutbox(tx: SqlExecutor, schema: string, ns: string, rows: OutboxRow[]) {
  if (rows.length === 0) return;
  const values: unknown[] = [];
  const tuples = rows.map(({ event: e, trace }, i) => {
    values.push(
      e.id,
      eventSubject(ns, e.source, e.type),
      JSON.stringify(e),
      trace ? JSON.stringify(trace) : null,
    );
    return `($${i * 4 + 1}::uuid, $${i * 4 + 2}, $${i * 4 + 3}::jsonb, $${i * 4 + 4}::jsonb)`;
  });
  await directSql(tx).$executeRawUnsafe(
    `INSERT INTO ${quoteIdent(schema)}.outbox (id, subject, payload, headers) VALUES ${tuples.join(", ")}`,
    ...values,
  );
}

export interface RelayOptions {
  pool: Pool;
  schema: string;
  messaging: Messaging;
  /** The context whose outbox this is (metrics label); the schema when omitted. */
  context?: string;
  batchSize?: number;
  /** How often to look for rows nobody nudged the relay for (default 5 s). */
  idleMs?: number;
  onError?: (err: unknown) => void;
  log?: (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * The one outbox relay: publishes unpublished rows in order with Nats-Msg-Id = event id (so a
 * row published twice after a crash is dropped by JetStream) and marks them published. Rows are
 * claimed with SKIP LOCKED so replicas of a context never publish the same batch concurrently.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly table: string;

  private readonly idleMs: number;
  private readonly retryMs: number;

  constructor(private readonly opts: RelayOptions) {
    this.table = `${quoteIdent(opts.schema)}.outbox`;
    this.idleMs = opts.idleMs ?? 5_000;
    this.retryMs = Math.min(this.idleMs, 1_000);
  }

  start(): void {
    this.stopped = false;
    this.nudge();
  }

  /** Called after a commit that wrote outbox rows, so events leave at once instead of on the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = true;
    let failed = false;
    // Detached from whatever request committed the rows: each publish continues its row's trace;
    // and outside any transaction it was nudged from (a unit of work nested in another's work).
    void outsideTransaction(() => detached(() => this.drain()))
      .catch((err) => {
        failed = true;
        this.opts.onError?.(err);
      })
      .finally(() => {
        this.running = false;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.nudge();
        } else {
          // Every commit here nudges at once, so the idle poll only catches rows nobody nudged
          // for (a replica or a predecessor that died between commit and publish): it can be
          // slow, and costs one transaction per poll. After a failure (NATS or Postgres away),
          // try again soon.
          this.timer = setTimeout(() => this.nudge(), failed ? this.retryMs : this.idleMs);
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Publishes until nothing is left; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < (this.opts.batchSize ?? 200)) return total;
    }
  }

  /** Unpublished rows and the age of the oldest, for readiness and metrics. */
  async backlog(): Promise<{ count: number; oldestAgeMs: number }> {
    const { rows } = await this.opts.pool.query<{ count: string; oldest: Date | null }>(
      `SELECT count(*) AS count, min(created_at) AS oldest FROM ${this.table} WHERE published_at IS NULL`,
    );
    const oldest = rows[0]?.oldest;
    return { count: Number(rows[0]?.count ?? 0), oldestAgeMs: oldest ? Date.now() - oldest.getTime() : 0 };
  }

  private async publishBatch(): Promise<number> {
    const client = await this.opts.pool.connect();
    try {
      await client.query("BEGIN");
      // Claimed and marked in one statement; the marks commit only after every publish was
      // acknowledged (a failure or a crash before COMMIT leaves the rows to publish again, and
      // JetStream drops the second copy by its Nats-Msg-Id).
      const { rows } = await client.query<{
        seq: string;
        id: string;
        subject: string;
        payload: unknown;
        headers: TraceCarrier | null;
      }>(
        `UPDATE ${this.table} SET published_at = now()
          WHERE seq IN (SELECT seq FROM ${this.table} WHERE published_at IS NULL
                         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING seq, id, subject, payload, headers`,
        [this.opts.batchSize ?? 200],
      );
      // RETURNING does not keep the subquery's order: publish in outbox order.
      rows.sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
      const context = this.opts.context ?? this.opts.schema;
      if (rows.length === 0) {
        await client.query("COMMIT");
        messagingObserver().relayPolled(context, 0);
        return 0;
      }
      crashPoint("outbox.beforePublish");
      // Sent in order on one connection; acks are awaited together. Each publish continues the
      // trace of the transaction that wrote the row and hands it on in the message headers.
      await Promise.all(
        rows.map((r) => {
          const env = r.payload as EventEnvelope;
          return inSpan(
            `publish ${env.type}`,
            {
              kind: SpanKind.PRODUCER,
              parent: contextFromCarrier(r.headers),
              attributes: {
                "messaging.system": "nats",
                "messaging.destination.name": r.subject,
                "baedal.event_id": r.id,
              },
              log: { orderId: env.orderId, eventId: r.id, eventType: env.type },
            },
            async () => {
              if (env.orderId) annotate({ orderId: env.orderId });
              const headers = natsTraceHeaders({ "Baedal-Order-Id": env.orderId });
              await this.opts.messaging.js.publish(r.subject, JSON.stringify(r.payload), {
                msgID: r.id,
                headers,
              });
              messagingObserver().published(context, env.type);
              this.opts.log?.("debug", "event published", { subject: r.subject });
            },
          );
        }),
      );
      crashPoint("outbox.beforeMarkPublished");
      await client.query("COMMIT");
      messagingObserver().relayPolled(context, rows.length);
      return rows.length;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/**
 * The one way a context changes state: run the work in a transaction, store the events it
 * returns in the outbox in that same transaction, then wake the relay. Handlers and commands
 * never touch the outbox themselves.
 */
export class UnitOfWork<TTx extends SqlExecutor> {
  constructor(
    private readonly db: TransactionRunner<TTx>,
    private readonly schema: string,
    private readonly ns: string,
    private readonly relay: { nudge(): void },
  ) {}

  /**
   * Runs `effect` once the transaction `tx` (one this unit of work runs) has committed, in the
   * order registered; a transaction rolled back never runs its effects. For what happens outside
   * the database because of what the transaction wrote, such as waking live screens with it, so
   * neither commands nor event handlers have to remember to do it afterwards. (The transaction
   * is the one this code runs in; `tx` names it for the reader.)
   */
  afterCommit(_tx: TTx, effect: () => void): void {
    const scope = currentScope();
    if (!scope || scope.closed) throw new Error("afterCommit outside a unit of work's transaction");
    scope.effects.push(effect);
  }

  async run<R>(work: (tx: TTx) => Promise<{ result: R; events: EventEnvelope[] }>): Promise<R> {
    // Taken before the transaction: the trace of the request or event handler doing this work.
    const trace = traceCarrier();
    const [result] = await this.runEach(async (tx) => {
      const out = await work(tx);
      return [{ result: out.result, events: out.events, trace }];
    });
    return result as R;
  }

  /**
   * Several pieces of work in one transaction (a consumer's batch of events): each piece returns
   * its result, its events and the trace they continue; all events go to the outbox in one
   * statement, in the order of the pieces.
   */
  async runEach<R>(
    work: (tx: TTx) => Promise<{ result: R; events: EventEnvelope[]; trace: TraceCarrier | null }[]>,
  ): Promise<R[]> {
    let wrote = false;
    let orderId: string | null = null;
    let effects: (() => void)[] = [];
    const results = await transactionScope((scope) => {
      effects = scope.effects;
      return this.db.$transaction(
        async (tx) => {
          const pieces = await work(tx);
          const rows = pieces.flatMap((p) => p.events.map((event) => ({ event, trace: p.trace })));
          await appendRowsToOutbox(tx, this.schema, this.ns, rows);
          wrote = rows.length > 0;
          orderId = pieces.length === 1 ? (rows.find((r) => r.event.orderId)?.event.orderId ?? null) : null;
          return pieces.map((p) => p.result);
        },
        // No timeout option: the runner is PgTransactions, and the context's pool has Postgres
        // end a session idle in a transaction for 15 s (platform/db.ts createPool).
      );
    });
    // The order this work was about, for the logs and span of the request or handler.
    if (orderId) annotate({ orderId });
    if (wrote) this.relay.nudge();
    for (const effect of effects) {
      try {
        effect();
      } catch {
        // Committed is committed: an effect that fails (a ping while NATS is closed) must not
        // turn the work into an error. A lost wake-up only delays until the heartbeat.
      }
    }
    return results;
  }
}
