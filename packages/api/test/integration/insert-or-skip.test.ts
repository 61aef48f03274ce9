import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createPrisma } from "../../src/platform/db.js";
import { insertOrSkip } from "../../src/platform/insert-or-skip.js";
import { PrismaClient as StorePrisma } from "../../src/store/generated/client.js";
import { PrismaClient as ReviewPrisma } from "../../src/review/generated/client.js";
import { TestEnv } from "./harness.js";

/**
 * `insertOrSkip` replaces Prisma's createMany on the hot paths: the rows it writes must read back
 * through Prisma exactly as a createMany's would (uuid, jsonb, timestamps, nulls, defaults), and a
 * duplicate must be skipped inside a transaction without aborting it.
 */
describe("insertOrSkip", () => {
  const env = new TestEnv();
  let pool: ReturnType<typeof createPool>;
  let store: StorePrisma;
  let review: ReviewPrisma;
  beforeAll(async () => {
    await env.setup();
    pool = createPool(env.databaseUrl, 2);
    store = createPrisma(StorePrisma, pool, "store");
    review = createPrisma(ReviewPrisma, pool, "review");
  }, 60_000);
  afterAll(async () => {
    await store?.$disconnect();
    await review?.$disconnect();
    await pool?.end();
    await env.teardown();
  });

  const ticket = () => ({
    id: randomUUID(),
    orderId: randomUUID(),
    shopId: randomUUID(),
    shopName: "바다 횟집 \"본점\"",
    shopAddress: "부산 해운대구",
    status: "NEW",
    lines: [{ menuItemId: randomUUID(), name: "광어회 'L'", unitPriceKrw: 32_000, quantity: 2 }],
    itemsTotalKrw: 64_000,
    totalKrw: 67_000,
    deliveryAddress: "서울 마포구",
    phone: "010-0000-0000",
    note: "문 앞에\n두세요",
    prepMinutes: null,
  });

  it("writes each field to its column with the column's type; left-out columns take their defaults", async () => {
    const t = ticket();
    const [back] = await insertOrSkip<{ created_at: Date }>(store, { schema: "store", name: "tickets" }, [t], ["created_at"]);
    const row = await store.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row).toMatchObject({ ...t, prepMinutes: null, riderName: null });
    expect(new Date(back!.created_at).getTime()).toBe(row.createdAt.getTime());
  });

  it("skips a duplicate without aborting the transaction it runs in, and says so", async () => {
    const t = ticket();
    const result = await store.$transaction(async (tx) => {
      const first = await insertOrSkip(tx, { schema: "store", name: "tickets" }, [t]);
      const again = await insertOrSkip(tx, { schema: "store", name: "tickets" }, [{ ...t, id: randomUUID() }]);
      const count = await tx.ticket.count({ where: { orderId: t.orderId } });
      return { first: first.length, again: again.length, count };
    });
    expect(result).toEqual({ first: 1, again: 0, count: 1 });
  });

  it("inserts many rows in one statement, skipping only those already there", async () => {
    const kase = () => ({
      id: randomUUID(),
      menuItemId: randomUUID(),
      shopId: randomUUID(),
      revision: 1,
      name: "치킨",
      description: "",
      priceKrw: 18_000,
      category: "CHICKEN",
      imageUrl: null,
      status: "OPEN",
      reason: null,
      decidedBy: null,
      decidedAt: null,
      createdAt: new Date("2026-12-01T00:00:00.123Z"),
    });
    const existing = kase();
    await insertOrSkip(review, { schema: "review", name: "review_cases" }, [existing]);
    const inserted = await insertOrSkip(review, { schema: "review", name: "review_cases" }, [existing, kase(), kase()]);
    expect(inserted).toHaveLength(2);
    expect(await review.reviewCase.findUniqueOrThrow({ where: { id: existing.id } })).toEqual(existing);
  });

  it("inserts nothing for no rows", async () => {
    expect(await insertOrSkip(store, { schema: "store", name: "tickets" }, [])).toEqual([]);
  });
});
