/**
 * What one SQL statement costs in CPU through each layer the contexts use, on one connection at
 * a time: the pg client alone, then Prisma (raw SQL, `findUnique`, `create`, `createMany`), all
 * against order's checkout_attempts table in the bench database. The CPU is this process' own
 * (process.cpuUsage), so it is the client-side cost; Postgres' share is not in it.
 * Rows are written VOIDED (the order context's reconciler ignores those) and deleted afterwards.
 */
import { randomUUID } from "node:crypto";
import type * as PG from "pg";
import { createPool, createPrisma, OrderPrismaClient } from "@baedal/api/testing";
import { mono, round } from "../lib/stats.js";

export interface StatementCost {
  statement: string;
  cpuMicros: number;
  wallMicros: number;
}

export async function prismaBaseline(
  databaseUrl: string,
  opts: { iterations: number; log: (m: string) => void },
) {
  const pool = createPool(databaseUrl, 2);
  const db = createPrisma(OrderPrismaClient, pool, "ordering");
  // Its query() as pg types it (the context pool's override takes every form, typed as none).
  const raw: PG.Pool = pool;
  const marker = `bench-${randomUUID()}`;
  const row = () => ({
    id: randomUUID(),
    customerId: randomUUID(),
    idempotencyKey: randomUUID(),
    requestHash: marker,
    status: "VOIDED",
    draft: { lines: [{ menuItemId: randomUUID(), quantity: 1 }], totalKrw: 62_000 },
  });
  const costs: StatementCost[] = [];
  const measure = async (statement: string, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await fn(); // warm: JIT, the query plan cache
    const cpu0 = process.cpuUsage();
    const t0 = mono();
    for (let i = 0; i < opts.iterations; i++) await fn();
    const cpu = process.cpuUsage(cpu0);
    costs.push({
      statement,
      cpuMicros: round((cpu.user + cpu.system) / opts.iterations, 0),
      wallMicros: round(((mono() - t0) * 1000) / opts.iterations, 0),
    });
  };
  const insertSql = `INSERT INTO ordering.checkout_attempts (id, customer_id, idempotency_key, request_hash, status, draft)
    VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::jsonb)`;
  const params = (r: ReturnType<typeof row>) => [
    r.id,
    r.customerId,
    r.idempotencyKey,
    r.requestHash,
    r.status,
    JSON.stringify(r.draft),
  ];
  try {
    await measure("pg client: INSERT", () => raw.query(insertSql, params(row())));
    await measure("Prisma: $executeRawUnsafe INSERT", () =>
      db.$executeRawUnsafe(insertSql, ...params(row())),
    );
    await measure("Prisma: findUnique", () => db.checkoutAttempt.findUnique({ where: { id: randomUUID() } }));
    await measure("Prisma: create (select id)", () =>
      db.checkoutAttempt.create({ data: row(), select: { id: true } }),
    );
    await measure("Prisma: createMany (one row)", () =>
      db.checkoutAttempt.createMany({ data: [row()], skipDuplicates: true }),
    );
    for (const c of costs) opts.log(`${c.statement}: ${c.cpuMicros} µs CPU, ${c.wallMicros} µs wall`);
  } finally {
    await raw
      .query(`DELETE FROM ordering.checkout_attempts WHERE request_hash = $1`, [marker])
      .catch(() => undefined);
    await db.$disconnect();
    await pool.end();
  }
  return costs;
}
