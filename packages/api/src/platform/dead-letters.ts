import type pg from "pg";
import { z } from "zod";
import { quoteIdent, type IdempotentConsumer } from "@baedal/events";
import type { ContextName } from "./config.js";
import { DomainError, notFound } from "./errors.js";
import { mergeRouters, roleProcedure, router } from "./trpc.js";

/**
 * Operator access to parked events, written once for every context. Each context's consumers
 * park what still fails after bounded redelivery in the context's own `dead_letter` table
 * (packages/events/sql/messaging.sql); `<context>.ops.*` lists them, replays one through the
 * consumer that parked it (idempotent: an event applied before is not applied twice) or
 * discards it. Admin only. The procedures run in the process that runs the context, since only
 * it holds that context's database and consumers.
 */
export interface DeadLetterHost {
  schema: string;
  pool: pg.Pool;
  consumers: IdempotentConsumer<any>[];
}

const hosts = new Map<ContextName, DeadLetterHost>();

/** Called by the process for each context it runs, once its consumers are registered. */
export function hostDeadLetters(context: ContextName, host: DeadLetterHost | undefined): void {
  if (host) hosts.set(context, host);
  else hosts.delete(context);
}

function hostOf(context: ContextName): DeadLetterHost {
  const host = hosts.get(context);
  if (!host) throw new DomainError("SERVICE_UNAVAILABLE", `${context} does not run in this process`);
  return host;
}

interface DeadLetter {
  id: number;
  context: ContextName;
  consumer: string;
  eventId: string | null;
  eventType: string | null;
  orderId: string | null;
  subject: string;
  payload: unknown;
  error: string;
  attempts: number;
  parkedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

interface Row {
  id: string;
  consumer: string;
  event_id: string | null;
  subject: string;
  payload: unknown;
  error: string;
  attempts: number;
  parked_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
}

const toDeadLetter = (context: ContextName, r: Row): DeadLetter => {
  const p = (r.payload ?? {}) as { type?: unknown; orderId?: unknown };
  return {
    id: Number(r.id),
    context,
    consumer: r.consumer,
    eventId: r.event_id,
    eventType: typeof p.type === "string" ? p.type : null,
    orderId: typeof p.orderId === "string" ? p.orderId : null,
    subject: r.subject,
    payload: r.payload,
    error: r.error,
    attempts: r.attempts,
    parkedAt: r.parked_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolution: r.resolution,
  };
};

const table = (host: DeadLetterHost) => `${quoteIdent(host.schema)}.dead_letter`;

async function listDeadLetters(
  context: ContextName,
  q: { state: "OPEN" | "RESOLVED" | "ALL"; limit: number },
): Promise<DeadLetter[]> {
  const host = hostOf(context);
  const where = q.state === "OPEN" ? "WHERE resolved_at IS NULL" : q.state === "RESOLVED" ? "WHERE resolved_at IS NOT NULL" : "";
  const { rows } = await host.pool.query<Row>(
    `SELECT * FROM ${table(host)} ${where} ORDER BY parked_at DESC, id DESC LIMIT $1`,
    [q.limit],
  );
  return rows.map((r) => toDeadLetter(context, r));
}

async function openLetter(host: DeadLetterHost, id: number): Promise<Row> {
  const { rows } = await host.pool.query<Row>(`SELECT * FROM ${table(host)} WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) throw notFound("Dead letter");
  if (row.resolved_at) {
    throw new DomainError("CONFLICT", `This event was already ${row.resolution?.toLowerCase() ?? "resolved"}`, "ALREADY_RESOLVED");
  }
  return row;
}

/** Marks a letter resolved once; false when another operator resolved it first. */
async function resolve(host: DeadLetterHost, id: number, resolution: string): Promise<boolean> {
  const res = await host.pool.query(
    `UPDATE ${table(host)} SET resolved_at = now(), resolution = $2 WHERE id = $1 AND resolved_at IS NULL`,
    [id, resolution],
  );
  return res.rowCount === 1;
}

/**
 * Runs a parked event through the consumer that parked it. Success (or "was applied already")
 * resolves the letter; a failure keeps it parked with the new error, which the operator sees.
 */
async function replayDeadLetter(context: ContextName, id: number, by: string): Promise<DeadLetter> {
  const host = hostOf(context);
  const row = await openLetter(host, id);
  const consumer = host.consumers.find((c) => c.name === row.consumer);
  if (!consumer) {
    throw new DomainError("PRECONDITION_FAILED", `Consumer ${row.consumer} does not run here any more; discard it`, "NO_CONSUMER");
  }
  let applied: boolean;
  try {
    applied = await consumer.replay(row.payload);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await host.pool.query(`UPDATE ${table(host)} SET error = $2, attempts = attempts + 1 WHERE id = $1`, [id, message]);
    throw new DomainError("CONFLICT", `Replay failed: ${message}`, "REPLAY_FAILED");
  }
  await resolve(host, id, applied ? `REPLAYED by ${by}` : `REPLAYED by ${by} (already applied)`);
  return toDeadLetter(context, (await host.pool.query<Row>(`SELECT * FROM ${table(host)} WHERE id = $1`, [id])).rows[0]!);
}

async function discardDeadLetter(context: ContextName, id: number, by: string): Promise<DeadLetter> {
  const host = hostOf(context);
  await openLetter(host, id);
  if (!(await resolve(host, id, `DISCARDED by ${by}`))) {
    throw new DomainError("CONFLICT", "Someone resolved this event meanwhile", "ALREADY_RESOLVED");
  }
  return toDeadLetter(context, (await host.pool.query<Row>(`SELECT * FROM ${table(host)} WHERE id = $1`, [id])).rows[0]!);
}

const admin = roleProcedure("ADMIN");
const byId = z.object({ id: z.number().int().positive() }).strict();

/** The admin-only `ops` router of one context. */
function opsRouter(context: ContextName) {
  return router({
    deadLetters: admin
      .input(
        z
          .object({
            state: z.enum(["OPEN", "RESOLVED", "ALL"]).default("OPEN"),
            limit: z.number().int().min(1).max(500).default(100),
          })
          .strict(),
      )
      .query(({ input }) => listDeadLetters(context, input)),
    replay: admin.input(byId).mutation(({ ctx, input }) => replayDeadLetter(context, input.id, ctx.actor.name)),
    discard: admin.input(byId).mutation(({ ctx, input }) => discardDeadLetter(context, input.id, ctx.actor.name)),
  });
}

/** A context's router with its `ops` procedures mounted (`store.ops.deadLetters`, …). */
export function withOps<R extends Parameters<typeof mergeRouters>[0]>(context: ContextName, contextRouter: R) {
  return mergeRouters(contextRouter, router({ ops: opsRouter(context) }));
}
