import { randomUUID } from "node:crypto";
import { directSql, UnitOfWork, type SqlExecutor } from "@baedal/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createPrisma } from "../../src/platform/db.js";
import { insertOrSkip } from "../../src/platform/insert-or-skip.js";
import { transactionsOn } from "../../src/platform/runtime.js";
import { PrismaClient as StorePrisma, type Prisma } from "../../src/store/generated/client.js";
import { TestEnv } from "./harness.js";

/**
 * The plumbing's statements go straight through the pg connection of the Prisma transaction
 * they belong to (`directSql`): they must be part of that very transaction — committed with
 * it, rolled back with it, each concurrent unit of work on its own connection — and a statement
 * that comes after the transaction ended must fail rather than run on a pooled connection that
 * may already carry someone else's transaction.
 */
describe("directSql in a unit of work", () => {
  const env = new TestEnv();
  let pool: ReturnType<typeof createPool>;
  let store: StorePrisma;
  let uow: UnitOfWork<Prisma.TransactionClient>;
  const txid = async (db: SqlExecutor) =>
    (await db.$queryRawUnsafe<{ id: string }[]>("SELECT txid_current()::text AS id"))[0]!.id;
  const ticket = () => ({
    id: randomUUID(),
    orderId: randomUUID(),
    shopId: randomUUID(),
    shopName: "바다 횟집",
    shopAddress: "부산 해운대구",
    status: "NEW",
    lines: [{ menuItemId: randomUUID(), name: "광어회", unitPriceKrw: 32_000, quantity: 1 }],
    itemsTotalKrw: 32_000,
    totalKrw: 35_000,
    deliveryAddress: "서울 마포구",
    phone: "010-0000-0000",
    note: "",
    prepMinutes: null,
  });
  const tickets = { schema: "store", name: "tickets" };

  beforeAll(async () => {
    await env.setup();
    pool = createPool(env.databaseUrl, 4);
    store = createPrisma(StorePrisma, pool, "store");
    uow = new UnitOfWork<Prisma.TransactionClient>(transactionsOn(pool, store), "store", env.ns, {
      nudge: () => undefined,
    });
  }, 60_000);
  afterAll(async () => {
    await store?.$disconnect();
    await pool?.end();
    await env.teardown();
  });

  it("sends through the transaction's own connection, not Prisma's raw pipeline", async () => {
    const { direct, prisma } = await uow.run(async (tx) => {
      expect(directSql(tx)).not.toBe(tx);
      return { result: { direct: await txid(directSql(tx)), prisma: await txid(tx) }, events: [] };
    });
    expect(direct).toBe(prisma);
  });

  it("commits and rolls back with the transaction", async () => {
    const kept = ticket();
    const dropped = ticket();
    await uow.run(async (tx) => {
      await insertOrSkip(tx, tickets, [kept]);
      return { result: undefined, events: [] };
    });
    await expect(
      uow.run(async (tx) => {
        await insertOrSkip(tx, tickets, [dropped]);
        expect(await tx.ticket.count({ where: { id: dropped.id } })).toBe(1); // Prisma sees it: same transaction
        throw new Error("the work fails after writing");
      }),
    ).rejects.toThrow("the work fails after writing");
    expect(await store.ticket.count({ where: { id: kept.id } })).toBe(1);
    expect(await store.ticket.count({ where: { id: dropped.id } })).toBe(0);
  });

  it("gives concurrent units of work each their own transaction", async () => {
    const pairs = await Promise.all(
      Array.from({ length: 8 }, () =>
        uow.run(async (tx) => {
          const prisma = await txid(tx);
          await new Promise((r) => setTimeout(r, 5));
          return { result: { direct: await txid(directSql(tx)), prisma }, events: [] };
        }),
      ),
    );
    for (const p of pairs) expect(p.direct).toBe(p.prisma);
    expect(new Set(pairs.map((p) => p.prisma)).size).toBe(8);
  });

  it("runs Prisma's model queries made from inside in the transaction, whatever Prisma batches", async () => {
    // Prisma sends the findUniques of one tick as one query from whichever caller's tick ran it;
    // inside our transactions it must not, or one would read through another's connection.
    const n = 3; // below the pool's 4 connections: all hold one at the barrier
    const mine = Array.from({ length: n }, ticket);
    let inserted = 0;
    let allInserted!: () => void;
    const barrier = new Promise<void>((r) => (allInserted = r));
    // None commits before all have read: a row committed meanwhile is rightly seen by the others.
    let read = 0;
    let allRead!: () => void;
    const readBarrier = new Promise<void>((r) => (allRead = r));
    const seen = await Promise.all(
      mine.map((t, i) =>
        uow.run(async (tx) => {
          await tx.ticket.create({ data: t, select: { id: true } });
          if (++inserted === n) allInserted();
          await barrier; // every transaction resumes in the same tick: their reads would batch
          const [own, other] = await Promise.all([
            tx.ticket.findUnique({ where: { id: t.id }, select: { id: true } }),
            tx.ticket.findUnique({ where: { id: mine[(i + 1) % n]!.id }, select: { id: true } }),
          ]);
          if (++read === n) allRead();
          await readBarrier;
          return { result: { own: own?.id ?? null, other: other?.id ?? null }, events: [] };
        }),
      ),
    );
    expect(seen).toEqual(mine.map((t) => ({ own: t.id, other: null })));
  });

  it("takes no second connection when Prisma opens a transaction of its own inside ours", async () => {
    const one = createPool(env.databaseUrl, 1);
    const client = createPrisma(StorePrisma, one, "store");
    try {
      const single = new UnitOfWork<Prisma.TransactionClient>(transactionsOn(one, client), "store", env.ns, {
        nudge: () => undefined,
      });
      const t = ticket();
      const status = await single.run(async (tx) => {
        await tx.ticket.upsert({ where: { id: t.id }, create: t, update: {} });
        const again = await tx.ticket.upsert({ where: { id: t.id }, create: t, update: { status: "ACCEPTED" } });
        await tx.ticket.updateMany({ where: { id: t.id }, data: { prepMinutes: 15 } });
        return { result: again.status, events: [] };
      });
      expect(status).toBe("ACCEPTED");
      expect(await client.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ prepMinutes: 15 });
    } finally {
      await client.$disconnect();
      await one.end();
    }
  }, 30_000);

  it("prepares its statements and Prisma's once per connection (Postgres parses and plans them once)", async () => {
    const prepared = await uow.run(async (tx) => {
      await directSql(tx).$queryRawUnsafe("SELECT $1::int AS probe", 1);
      await tx.ticket.findUnique({ where: { id: randomUUID() }, select: { id: true } });
      await directSql(tx).$queryRawUnsafe("SELECT $1::int AS probe", 2);
      const rows = await directSql(tx).$queryRawUnsafe<{ statement: string }[]>(
        "SELECT statement FROM pg_prepared_statements WHERE name LIKE $1",
        "baedal_%",
      );
      return { result: rows.map((r) => r.statement), events: [] };
    });
    expect(prepared.filter((s) => s === "SELECT $1::int AS probe")).toHaveLength(1);
    expect(prepared.some((s) => s.includes('"store"."tickets"'))).toBe(true);
  });

  it("refuses a statement after the transaction ended", async () => {
    const late = await uow.run(async (tx) => ({ result: directSql(tx), events: [] }));
    await expect(txid(late)).rejects.toThrow(/Transaction already closed/);
  });

  it("is the client itself outside a unit of work", async () => {
    expect(directSql(store)).toBe(store);
    await store.$transaction(async (tx) => expect(directSql(tx)).toBe(tx));
  });
});
