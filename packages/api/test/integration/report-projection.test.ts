/**
 * The report's projection writes against the real Postgres (report/adapters/repository.ts): for
 * every order in which a rider call's events (and an order's) can arrive, and with a redelivered
 * event among them, the stored row is the row the domain's fold gives — what the report stored
 * before its writes became one or two statements per event. Each event's history line is kept
 * once.
 */
import { randomUUID } from "node:crypto";
import {
  createEvent,
  DeliveryEvents,
  OrderEvents,
  PaymentEvents,
  type EventEnvelope,
  type OrderEvent,
  type OrderStatus,
} from "@baedal/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "../../src/platform/db.js";
import {
  applyDeliveryEvent,
  applyOrderEvent,
  type CallEvent,
  type DeliveryRow,
  type OrderRow,
} from "../../src/report/domain/projections.js";
import { PrismaClient } from "../../src/report/generated/client.js";
import { ReportService } from "../../src/report/service.js";
import { countingPool, TestEnv } from "./harness.js";

/** Every ordering of `xs`. */
function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 14, minute)).toISOString();
const withTime = <E extends EventEnvelope>(e: E, occurredAt: string): E => ({ ...e, occurredAt });
/** The same event about another order: its own id, the same facts. */
const aboutOrder = <E extends OrderEvent>(e: E, orderId: string): E => ({
  ...e,
  id: randomUUID(),
  orderId,
  data: { ...e.data, orderId },
});

describe("report projection", () => {
  const env = new TestEnv();
  let pool: ReturnType<typeof countingPool>["pool"];
  let db: PrismaClient;
  let report: ReportService;
  let sent = { statements: 0 };

  /** Applies one call event in its own transaction; answers the statements its projection sent. */
  async function projectCall(e: CallEvent): Promise<number> {
    return db.$transaction(async (tx) => {
      const from = sent.statements;
      await report.projectCall(tx, e);
      return sent.statements - from;
    });
  }

  beforeAll(async () => {
    await env.setup();
    ({ pool, sent } = countingPool(env.databaseUrl));
    db = createPrisma(PrismaClient, pool, "report");
    report = new ReportService(db);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await pool?.end();
    await env.teardown();
  });

  /** A rider call's five events, the call opened at 14:50 UTC (23:50 in Seoul, a day boundary near). */
  function callEvents(): CallEvent[] {
    const ids = { riderCallId: randomUUID(), orderId: randomUUID(), shopId: randomUUID() };
    const riderId = randomUUID();
    return [
      withTime(
        createEvent(DeliveryEvents.RiderCallOpened, {
          ...ids,
          shopName: "피자집",
          pickupAddress: "a",
          destination: "b",
          feeKrw: 3500,
        }),
        at(50),
      ),
      withTime(
        createEvent(DeliveryEvents.RiderCallAccepted, { ...ids, riderId, riderName: "박라이더" }),
        at(55),
      ),
      withTime(createEvent(DeliveryEvents.RiderCallPickedUp, { ...ids, riderId }), at(65)),
      withTime(createEvent(DeliveryEvents.RiderCallCompleted, { ...ids, riderId, feeKrw: 3500 }), at(80)),
      withTime(
        createEvent(PaymentEvents.RiderFeeSettled, {
          settlementId: randomUUID(),
          orderId: ids.orderId,
          riderCallId: ids.riderCallId,
          riderId,
          feeKrw: 3500,
        }),
        at(81),
      ),
    ];
  }

  const stored = async (riderCallId: string): Promise<DeliveryRow | undefined> =>
    (await report.deliveries({ limit: 500 })).find((r) => r.riderCallId === riderCallId);

  it("stores a call's row as the domain folds its events, in every order, a redelivery included", async () => {
    for (const events of permutations(callEvents())) {
      // The first event comes twice more: once right after itself, once at the end.
      const arrivals = [events[0]!, ...events, events[0]!];
      const costs: number[] = [];
      for (const e of arrivals) costs.push(await projectCall(e));
      // The row's first event inserts it with its history line in one statement; a later one
      // locks and reads in one and writes in one (none when nothing changes).
      expect(costs[0]).toBe(1);
      expect(Math.max(...costs)).toBeLessThanOrEqual(2);
      const expected = events.reduce<DeliveryRow | null>((r, e) => applyDeliveryEvent(r, e), null);
      expect(await stored(expected!.riderCallId)).toEqual(expected);
    }
  }, 120_000);

  it("stores an order's row as the domain folds its events, in every order, a redelivery included", async () => {
    const ids = { orderId: randomUUID(), customerId: randomUUID(), shopId: randomUUID() };
    const base = (seq: number, status: OrderStatus, minute: number) => ({
      ...ids,
      seq,
      status,
      at: at(minute),
    });
    const placed = createEvent(OrderEvents.OrderPlaced, {
      ...base(1, "PLACED", 50),
      shopName: "피자집",
      shopAddress: "a",
      lines: [{ menuItemId: randomUUID(), name: "피자", unitPriceKrw: 20_000, quantity: 1 }],
      itemsTotalKrw: 20_000,
      deliveryFeeKrw: 3_000,
      totalKrw: 23_000,
      deliveryAddress: "b",
      phone: "010-1234-5678",
      note: "",
    });
    const cancelled = createEvent(OrderEvents.OrderCancelled, {
      ...base(2, "CANCELLED", 52),
      cancelledBy: "CUSTOMER",
      reason: "변심",
      refundKrw: 23_000,
    });
    const refunded = createEvent(OrderEvents.OrderRefunded, {
      ...base(3, "CANCELLED", 53),
      refundKrw: 23_000,
    });
    for (const perm of permutations<OrderEvent>([placed, cancelled, refunded])) {
      // Each permutation is its own order: the ids differ, the facts do not.
      const orderId = randomUUID();
      const mine = perm.map((e) => aboutOrder(e, orderId));
      for (const e of [mine[0]!, ...mine, mine[0]!])
        await db.$transaction((tx) => report.projectOrder(tx, e));
      const expected = mine.reduce<OrderRow | null>((r, e) => applyOrderEvent(r, e), null);
      const row = await db.order.findUniqueOrThrow({ where: { orderId } });
      expect({
        orderId: row.orderId,
        shopId: row.shopId,
        day: row.day.toISOString().slice(0, 10),
        totalKrw: row.totalKrw,
        status: row.status,
        seq: row.seq,
        placedAt: row.placedAt?.toISOString() ?? null,
        cancelled: row.cancelled,
        refundedKrw: row.refundedKrw,
      }).toEqual(expected);
      // Three events, each kept once in the order's history however often it arrived.
      expect((await report.orderHistory(orderId)).map((h) => h.eventId).sort()).toEqual(
        mine.map((e) => e.id).sort(),
      );
    }
  }, 60_000);
});
