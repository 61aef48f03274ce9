import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMessaging, type Messaging } from "@baedal/events";
import { createPool } from "../../../src/platform/db.js";
import { countNatsMessages, countStatements, registry } from "../../../src/platform/observability/index.js";

/**
 * The counters the bench divides by completed orders: statements and transactions per context
 * (counted on the context's pg pool, as Prisma and the outbox relay use it), and the messages of
 * the process's NATS connection. Real Postgres and NATS; exact counts, no timing.
 */
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe("work counters on /metrics", () => {
  const context = `counter-test-${process.pid}`;
  const pool = createPool(databaseUrl, 2);
  let nats: Messaging;

  beforeAll(async () => {
    countStatements(pool, context);
    nats = await connectMessaging({ url: natsUrl, ns: `counters${process.pid}`, name: "work-counters-test" });
  });

  afterAll(async () => {
    await pool.end();
    await nats?.nc.close();
  });

  it("counts every statement, and a transaction per BEGIN or per statement sent outside one", async () => {
    const labels = { context };
    const s0 = await value("baedal_db_statements_total", labels);
    const t0 = await value("baedal_db_transactions_total", labels);

    // Two autocommit statements, one as a query config object (the form Prisma's adapter sends).
    await pool.query("SELECT 1");
    await pool.query({ text: "SELECT $1::int AS n", values: [2], rowMode: "array" });
    // One transaction of five statements, a savepoint rolled back inside it.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SAVEPOINT s1");
      await client.query("ROLLBACK TO SAVEPOINT s1");
      await client.query("SELECT 3");
      await client.query("COMMIT");
      // A failed transaction ended by ROLLBACK is one more.
      await client.query("begin");
      await expect(client.query("SELECT * FROM no_such_table_here")).rejects.toThrow();
      await client.query("ROLLBACK");
      // After it, the connection is outside a transaction again.
      await client.query("SELECT 4");
    } finally {
      client.release();
    }

    expect((await value("baedal_db_statements_total", labels)) - s0).toBe(11);
    expect((await value("baedal_db_transactions_total", labels)) - t0).toBe(5);
  });

  it("counts the NATS connection's messages sent and received", async () => {
    const nc = nats.nc;
    countNatsMessages(nc);
    const out0 = await value("baedal_nats_messages_total", { direction: "out" });
    const in0 = await value("baedal_nats_messages_total", { direction: "in" });
    const subject = `work-counters.${process.pid}`;
    const got: string[] = [];
    const sub = nc.subscribe(subject, { max: 3, callback: (_e, m) => void got.push(m.string()) });
    for (const s of ["a", "b", "c"]) nc.publish(subject, s);
    await sub.closed;
    expect(got).toEqual(["a", "b", "c"]);
    // Counted from the start of the connection: these three each way, and nothing else was sent.
    expect((await value("baedal_nats_messages_total", { direction: "out" })) - out0).toBe(3);
    expect((await value("baedal_nats_messages_total", { direction: "in" })) - in0).toBe(3);
  });
});
