/**
 * IdempotentConsumer against the real NATS and Postgres: events that arrive together are applied
 * together in one transaction (one processed-event mark, one outbox insert), each exactly once and
 * in order; an event that fails or comes too early in the middle of a batch neither blocks nor
 * duplicates the others.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EventTooEarly, IdempotentConsumer, on, type EventHandler } from "../src/consumer.js";
import { createEvent, type EventEnvelope } from "../src/envelope.js";
import * as StoreEvents from "../src/contracts/store.js";
import {
  connectMessaging,
  deleteNamespace,
  ensureEventStream,
  eventSubject,
  streamName,
  type Messaging,
} from "../src/nats.js";
import { OutboxRelay, UnitOfWork, appendToOutbox } from "../src/outbox.js";
import type { SqlExecutor, TransactionRunner } from "../src/sql.js";

const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const schema = `consumer_t${randomBytes(4).toString("hex")}`;
const sqlDir = join(import.meta.dirname, "..", "sql");

/** A transaction runner over a pg pool (what Prisma's interactive transactions are to a context), counting. */
class PgRunner implements TransactionRunner<SqlExecutor> {
  transactions = 0;
  constructor(private readonly pool: pg.Pool) {}
  async $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    this.transactions++;
    const tx: SqlExecutor = {
      $executeRawUnsafe: async (q, ...v) => (await client.query(q, v)).rowCount ?? 0,
      $queryRawUnsafe: async <T>(q: string, ...v: unknown[]) => (await client.query(q, v)).rows as T,
    };
    try {
      await client.query("BEGIN");
      const r = await fn(tx);
      await client.query("COMMIT");
      return r;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

let pool: pg.Pool;
let nats: Messaging;
/** Each test in a namespace (stream) of its own, so its consumer sees its events only. */
let m: Messaging;
const namespaces: Messaging[] = [];

beforeEach(async () => {
  m = { ...nats, ns: `t${randomBytes(4).toString("hex")}` };
  namespaces.push(m);
  await ensureEventStream(m);
});

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const ddl = [
    readFileSync(join(sqlDir, "messaging.sql"), "utf8"),
    ...readdirSync(join(sqlDir, "messaging"))
      .sort()
      .map((f) => readFileSync(join(sqlDir, "messaging", f), "utf8")),
  ].map((s) => s.replaceAll(":schema", schema));
  await pool.query(`CREATE SCHEMA ${schema}`);
  for (const s of ddl) await pool.query(s);
  await pool.query(
    `CREATE TABLE ${schema}.applied (n serial PRIMARY KEY, ticket_id uuid NOT NULL, consumer text NOT NULL)`,
  );
  nats = await connectMessaging({ url: natsUrl, ns: "unused", name: "consumer-test" });
});

afterAll(async () => {
  for (const ns of namespaces) await deleteNamespace(ns).catch(() => undefined);
  await nats?.nc.close();
  await pool?.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
  await pool?.end();
});

const ticket = () =>
  createEvent(StoreEvents.TicketAccepted, {
    ticketId: randomUUID(),
    orderId: randomUUID(),
    shopId: randomUUID(),
    prepMinutes: 10,
  });

async function publish(events: EventEnvelope[]) {
  for (const e of events) await m.js.publish(eventSubject(m.ns, e.source, e.type), JSON.stringify(e));
}

/**
 * A consumer running `handler`; each applied event also registers an after-commit effect
 * (`committed`: which ran, in order — only those whose transaction committed).
 */
function consumerOf(
  name: string,
  handler: EventHandler<SqlExecutor>,
  opts: { maxDeliver?: number; gatherMs?: number } = {},
) {
  const runner = new PgRunner(pool);
  const nudges = { n: 0 };
  const uow = new UnitOfWork<SqlExecutor>(runner, schema, m.ns, { nudge: () => nudges.n++ });
  const committed: string[] = [];
  const consumer = new IdempotentConsumer<SqlExecutor>(
    {
      name,
      source: "store",
      gatherMs: opts.gatherMs,
      handlers: {
        TicketAccepted: async (e, tx) => {
          const out = await handler(e, tx);
          uow.afterCommit(tx, () => committed.push(e.id));
          return out;
        },
      },
    },
    { messaging: m, schema, uow, maxDeliver: opts.maxDeliver ?? 3 },
  );
  return { consumer, runner, committed, nudges };
}

const record = (name: string) =>
  on(StoreEvents.TicketAccepted, async (e, tx: SqlExecutor) => {
    await tx.$executeRawUnsafe(
      `INSERT INTO ${schema}.applied (ticket_id, consumer) VALUES ($1::uuid, $2)`,
      e.data.ticketId,
      name,
    );
    return [createEvent(StoreEvents.TicketReady, { ...e.data }, e.id)];
  });

async function appliedBy(name: string): Promise<string[]> {
  const { rows } = await pool.query<{ ticket_id: string }>(
    `SELECT ticket_id FROM ${schema}.applied WHERE consumer = $1 ORDER BY n`,
    [name],
  );
  return rows.map((r) => r.ticket_id);
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("IdempotentConsumer when the server loses its durable consumer", () => {
  it("declares it again and applies what was published meanwhile, nothing twice", async () => {
    const { consumer } = consumerOf("lost", record("lost"));
    await consumer.start();
    const first = ticket();
    await publish([first]);
    await until("the first event applied", async () => (await appliedBy("lost")).length === 1);
    // What a NATS restart that cannot read the consumer's state file leaves: no consumer.
    await m.jsm.consumers.delete(streamName(m.ns), "lost");
    const later = [ticket(), ticket()];
    await publish(later);
    await until(
      "the events published after the loss applied",
      async () => (await appliedBy("lost")).length === 3,
      150_000,
    );
    expect(await appliedBy("lost")).toEqual([first, ...later].map((e) => e.data.ticketId));
    await consumer.stop();
  }, 200_000);
});

describe("IdempotentConsumer batches", () => {
  it("acks the source's events it has no handler for unread: an unreadable one is not parked", async () => {
    const name = "unhandled-types";
    const e = ticket();
    // TicketReady is not this consumer's (it handles TicketAccepted): not even read.
    await m.js.publish(eventSubject(m.ns, "store", "TicketReady"), "{not json");
    await publish([e]);
    const { consumer } = consumerOf(name, record(name));
    await consumer.start();
    await until("the handled event applied", async () => (await appliedBy(name)).length >= 1);
    await until("every message acked", async () => (await consumer.pending()) === 0);
    // And one alone, to an idle consumer (the one-message path).
    await m.js.publish(eventSubject(m.ns, "store", "TicketReady"), "{not json either");
    await until("the lone one acked", async () => (await consumer.pending()) === 0);
    await consumer.stop();
    expect(await appliedBy(name)).toEqual([e.data.ticketId]);
    const { rows } = await pool.query(`SELECT 1 FROM ${schema}.dead_letter WHERE consumer = $1`, [name]);
    expect(rows).toEqual([]);
  });

  it("a consumer nobody waits on lets events arriving one by one gather into one transaction", async () => {
    const run = async (name: string, opts: { gatherMs?: number; oneByOne?: boolean }) => {
      // A stream of its own: the other run's events are not this one's.
      m = { ...nats, ns: `t${randomBytes(4).toString("hex")}` };
      namespaces.push(m);
      await ensureEventStream(m);
      const events = Array.from({ length: 5 }, ticket);
      const { consumer, runner } = consumerOf(name, record(name), { gatherMs: opts.gatherMs });
      await consumer.start();
      for (const [i, e] of events.entries()) {
        await publish([e]);
        if (opts.oneByOne) await until("applied", async () => (await appliedBy(name)).length > i);
        else await new Promise((r) => setTimeout(r, 20));
      }
      await until("every event applied", async () => (await appliedBy(name)).length >= events.length);
      await consumer.stop();
      expect(await appliedBy(name)).toEqual(events.map((e) => e.data.ticketId));
      return runner.transactions;
    };
    // Each event finds the consumer idle: one transaction each.
    expect(await run("gather-none", { oneByOne: true })).toBe(5);
    // The first waits for the others, 20 ms apart, to join it.
    expect(await run("gather-long", { gatherMs: 2_000 })).toBe(1);
  });

  it("applies events that arrive together in fewer transactions, each once and in order", async () => {
    const name = "batch-order";
    const events = Array.from({ length: 30 }, ticket);
    // The same event twice (a redelivery after a crash looks like this) and one handled before.
    const again = events[3]!;
    const before = events[10]!;
    await pool.query(`INSERT INTO ${schema}.processed_event (consumer, event_id) VALUES ($1, $2)`, [
      name,
      before.id,
    ]);
    await publish([...events.slice(0, 5), again, ...events.slice(5)]);
    const { consumer, runner, committed, nudges } = consumerOf(name, record(name));
    await consumer.start();
    const expected = events.filter((e) => e !== before).map((e) => e.data.ticketId);
    await until("every event applied", async () => (await appliedBy(name)).length >= expected.length);
    await until("every message acked", async () => (await consumer.pending()) === 0);
    await consumer.stop();

    expect(await appliedBy(name)).toEqual(expected);
    expect(committed).toEqual(events.filter((e) => e !== before).map((e) => e.id));
    expect(runner.transactions).toBeLessThan(expected.length);
    expect(nudges.n).toBeGreaterThan(0);
    const { rows } = await pool.query<{ causation: string; traced: boolean }>(
      `SELECT payload->>'causationId' AS causation, headers IS NOT NULL AS traced FROM ${schema}.outbox
        WHERE payload->>'causationId' = ANY($1::text[]) ORDER BY seq`,
      [events.map((e) => e.id)],
    );
    expect(rows.map((r) => r.causation)).toEqual(events.filter((e) => e !== before).map((e) => e.id));
    const { rows: marks } = await pool.query(
      `SELECT event_id FROM ${schema}.processed_event WHERE consumer = $1`,
      [name],
    );
    expect(marks).toHaveLength(events.length);
  });

  it("an event too early in the middle of a batch waits without holding up or repeating the others", async () => {
    const name = "batch-too-early";
    const events = Array.from({ length: 12 }, ticket);
    const early = events[5]!;
    let allowed = false;
    let earlyTries = 0;
    const inner = record(name);
    const handler = on(StoreEvents.TicketAccepted, async (e, tx: SqlExecutor) => {
      if (e.id === early.id && !allowed) {
        earlyTries++;
        throw new EventTooEarly("not yet");
      }
      return inner(e, tx);
    });
    await publish(events);
    const { consumer } = consumerOf(name, handler);
    await consumer.start();
    const others = events.filter((e) => e !== early).map((e) => e.data.ticketId);
    await until("the others applied", async () => (await appliedBy(name)).length >= others.length);
    expect(await appliedBy(name)).toEqual(others);
    expect(earlyTries).toBeGreaterThan(0);
    allowed = true;
    await until("the early one applied", async () => (await appliedBy(name)).length > others.length);
    await until("every message acked", async () => (await consumer.pending()) === 0);
    await consumer.stop();
    expect(await appliedBy(name)).toEqual([...others, early.data.ticketId]);
  });

  it("an event that keeps failing is parked after maxDeliver; the rest of its batch applies once", async () => {
    const name = "batch-poison";
    const events = Array.from({ length: 10 }, ticket);
    const poison = events[2]!;
    const inner = record(name);
    const handler = on(StoreEvents.TicketAccepted, async (e, tx: SqlExecutor) => {
      if (e.id === poison.id) throw new Error("this one never works");
      return inner(e, tx);
    });
    await publish(events);
    const { consumer } = consumerOf(name, handler, { maxDeliver: 2 });
    await consumer.start();
    await until("the poison parked", async () => {
      const { rows } = await pool.query(`SELECT 1 FROM ${schema}.dead_letter WHERE consumer = $1`, [name]);
      return rows.length > 0;
    });
    await until("every message acked", async () => (await consumer.pending()) === 0);
    await consumer.stop();
    expect(await appliedBy(name)).toEqual(events.filter((e) => e !== poison).map((e) => e.data.ticketId));
    const { rows } = await pool.query<{ event_id: string; attempts: number; error: string }>(
      `SELECT event_id, attempts, error FROM ${schema}.dead_letter WHERE consumer = $1`,
      [name],
    );
    expect(rows).toEqual([{ event_id: poison.id, attempts: 2, error: "this one never works" }]);
    // Parked means not handled: an operator's replay can still apply it.
    const { rows: marks } = await pool.query(
      `SELECT 1 FROM ${schema}.processed_event WHERE consumer = $1 AND event_id = $2`,
      [name, poison.id],
    );
    expect(marks).toHaveLength(0);
  });
});

describe("OutboxRelay", () => {
  it("publishes unpublished rows in outbox order, marks them, and publishes nothing twice", async () => {
    const events = Array.from({ length: 25 }, ticket);
    // What the consumers above emitted is not this test's.
    await pool.query(`UPDATE ${schema}.outbox SET published_at = now() WHERE published_at IS NULL`);
    const runner = new PgRunner(pool);
    await runner.$transaction((tx) => appendToOutbox(tx, schema, m.ns, events.slice(0, 10)));
    await runner.$transaction((tx) => appendToOutbox(tx, schema, m.ns, events.slice(10)));
    const relay = new OutboxRelay({ pool, schema, messaging: m, batchSize: 7 });
    expect(await relay.drain()).toBe(25);
    expect(await relay.drain()).toBe(0);
    expect(await relay.backlog()).toEqual({ count: 0, oldestAgeMs: 0 });

    const { consumer } = consumerOf("relay-order", record("relay-order"));
    await consumer.start();
    await until("every event consumed", async () => (await appliedBy("relay-order")).length >= 25);
    await until("every message acked", async () => (await consumer.pending()) === 0);
    await consumer.stop();
    expect(await appliedBy("relay-order")).toEqual(events.map((e) => e.data.ticketId));
  });
});

describe("UnitOfWork", () => {
  it("runs a transaction's after-commit effects once it commits, never when it rolls back", async () => {
    const uow = new UnitOfWork<SqlExecutor>(new PgRunner(pool), schema, m.ns, { nudge: () => undefined });
    const ran: string[] = [];
    const seen: number[] = [];
    const id = randomUUID();
    await uow.run(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO ${schema}.applied (ticket_id, consumer) VALUES ($1::uuid, 'uow')`,
        id,
      );
      uow.afterCommit(tx, () => ran.push("first"));
      uow.afterCommit(tx, () => {
        ran.push("second");
        // Committed: another connection sees the row by the time the effect runs.
        void pool
          .query(`SELECT 1 FROM ${schema}.applied WHERE ticket_id = $1`, [id])
          .then((r) => seen.push(r.rowCount ?? 0));
      });
      expect(ran).toEqual([]);
      return { result: null, events: [] };
    });
    expect(ran).toEqual(["first", "second"]);
    await expect.poll(() => seen).toEqual([1]);
    await expect(
      uow.run(async (tx) => {
        uow.afterCommit(tx, () => ran.push("rolled back"));
        throw new Error("the work fails");
      }),
    ).rejects.toThrow("the work fails");
    // A failing effect does not turn committed work into an error.
    await uow.run(async (tx) => {
      uow.afterCommit(tx, () => {
        throw new Error("NATS closed");
      });
      uow.afterCommit(tx, () => ran.push("after the failing one"));
      return { result: null, events: [] };
    });
    expect(ran).toEqual(["first", "second", "after the failing one"]);
  });
});
