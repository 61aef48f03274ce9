import { quoteIdent, type EventEnvelope, type OrderStatus } from "@baedal/events";
import { executeDirect, queryDirect } from "../../platform/direct-statement.js";
import { contextSchemas } from "../../platform/schemas.js";
import { Prisma, type PrismaClient } from "../generated/client.js";
import type { CallStatus, DeliveryRow, OrderRow, Settlement } from "../domain/projections.js";
import { historyInsert } from "./order-history.js";

export type Tx = Prisma.TransactionClient;

/** Raw SQL names a table by its schema: the Prisma adapter scopes model queries, not raw ones. */
const table = (name: string) => Prisma.raw(`${quoteIdent(contextSchemas.report)}.${quoteIdent(name)}`);
export const reportTables = { deliveries: table("deliveries"), orders: table("orders") };
const { deliveries, orders } = reportTables;

/*
 * The projection writes are raw SQL: they run for most events of every order (the bench's step
 * probe counted 5 statements per projected event through Prisma — insert-if-missing, lock, read,
 * update, history — where one or two do). The read side (`listDeliveries`) stays on Prisma.
 *
 * `insertOrLock*` is one statement: the event's history line (a CTE), and an
 * INSERT … ON CONFLICT DO UPDATE of the event applied to no row. When the row is new, that insert
 * was the whole write (`null` is returned). When it exists, the no-op DO UPDATE locks it — so two
 * events of one row (RiderCallCompleted and RiderFeeSettled on two consumers, or two replicas)
 * serialize instead of overwriting each other — and RETURNING hands back its latest committed
 * version for the domain to apply the event to. `xmax = 0` tells an inserted row from an updated
 * one (an updated row version carries the locking transaction's id).
 */

/** The history CTE in front of a projection statement, for an event that names its order. */
const withHistory = (event: EventEnvelope) =>
  event.orderId ? Prisma.sql`WITH history AS (${historyInsert(event)}) ` : Prisma.empty;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface RawDelivery extends Omit<DeliveryRow, "createdAt" | "completedAt" | "settledAt"> {
  inserted: boolean;
  createdAt: Date;
  completedAt: Date | null;
  settledAt: Date | null;
}

const deliveryColumns = Prisma.sql`rider_call_id::text AS "riderCallId", order_id::text AS "orderId",
  shop_id::text AS "shopId", shop_name AS "shopName", rider_id::text AS "riderId",
  rider_name AS "riderName", fee_krw AS "feeKrw", status, settlement, created_at AS "createdAt",
  completed_at AS "completedAt", settled_at AS "settledAt", to_char(day, 'YYYY-MM-DD') AS day`;

/** The call's columns as SQL parameters, in the order of `deliveryColumnNames`. */
const deliveryValues = (r: DeliveryRow) => Prisma.sql`${r.riderCallId}::uuid, ${r.orderId}::uuid,
  ${r.shopId}::uuid, ${r.shopName}::text, ${r.riderId}::uuid, ${r.riderName}::text, ${r.feeKrw}::int,
  ${r.status}::text, ${r.settlement}::text, ${r.createdAt}::timestamptz, ${r.completedAt}::timestamptz,
  ${r.settledAt}::timestamptz, ${r.day}::date`;
const deliveryColumnNames = Prisma.sql`rider_call_id, order_id, shop_id, shop_name, rider_id, rider_name,
  fee_krw, status, settlement, created_at, completed_at, settled_at, day`;

/** History line + new call row, or the existing row locked and read (see the comment above). */
export async function insertOrLockDelivery(
  tx: Tx,
  event: EventEnvelope,
  first: DeliveryRow,
): Promise<DeliveryRow | null> {
  const [row] = await queryDirect<RawDelivery>(
    tx,
    Prisma.sql`${withHistory(event)}
    INSERT INTO ${deliveries} AS d (${deliveryColumnNames}) VALUES (${deliveryValues(first)})
    ON CONFLICT (rider_call_id) DO UPDATE SET rider_call_id = d.rider_call_id
    RETURNING (xmax = 0) AS inserted, ${deliveryColumns}`,
  );
  if (!row || row.inserted) return null;
  const { inserted: _inserted, ...r } = row;
  return {
    ...r,
    status: r.status as CallStatus,
    settlement: r.settlement as Settlement | null,
    createdAt: r.createdAt.toISOString(),
    completedAt: iso(r.completedAt),
    settledAt: iso(r.settledAt),
  };
}

export async function updateDelivery(tx: Tx, r: DeliveryRow): Promise<void> {
  await executeDirect(
    tx,
    Prisma.sql`UPDATE ${deliveries} SET (${deliveryColumnNames}) = (${deliveryValues(r)})
    WHERE rider_call_id = ${r.riderCallId}::uuid`,
  );
}

interface RawOrder extends Omit<OrderRow, "placedAt"> {
  inserted: boolean;
  placedAt: Date | null;
}

const orderColumnNames = Prisma.sql`order_id, shop_id, day, total_krw, status, seq, placed_at, cancelled, refunded_krw`;
const orderValues = (r: OrderRow) => Prisma.sql`${r.orderId}::uuid, ${r.shopId}::uuid, ${r.day}::date,
  ${r.totalKrw}::int, ${r.status}::text, ${r.seq}::int, ${r.placedAt}::timestamptz, ${r.cancelled}::boolean,
  ${r.refundedKrw}::int`;

/** History line + new order row, or the existing row locked and read (see the comment above). */
export async function insertOrLockOrder(
  tx: Tx,
  event: EventEnvelope,
  first: OrderRow,
): Promise<OrderRow | null> {
  const [row] = await queryDirect<RawOrder>(
    tx,
    Prisma.sql`${withHistory(event)}
    INSERT INTO ${orders} AS o (${orderColumnNames}) VALUES (${orderValues(first)})
    ON CONFLICT (order_id) DO UPDATE SET order_id = o.order_id
    RETURNING (xmax = 0) AS inserted, order_id::text AS "orderId", shop_id::text AS "shopId",
      to_char(day, 'YYYY-MM-DD') AS day, total_krw AS "totalKrw", status, seq, placed_at AS "placedAt",
      cancelled, refunded_krw AS "refundedKrw"`,
  );
  if (!row || row.inserted) return null;
  const { inserted: _inserted, ...r } = row;
  return { ...r, status: r.status as OrderStatus, placedAt: iso(r.placedAt) };
}

export async function updateOrder(tx: Tx, r: OrderRow): Promise<void> {
  await executeDirect(
    tx,
    Prisma.sql`UPDATE ${orders} SET (${orderColumnNames}) = (${orderValues(r)})
    WHERE order_id = ${r.orderId}::uuid`,
  );
}

const dayDate = (s: string) => new Date(`${s}T00:00:00.000Z`);

/** Rider calls for the admin's list, newest first. */
export async function listDeliveries(
  db: PrismaClient,
  q: { from?: string; to?: string; limit: number },
): Promise<DeliveryRow[]> {
  const rows = await db.delivery.findMany({
    where: {
      day: {
        ...(q.from ? { gte: dayDate(q.from) } : {}),
        ...(q.to ? { lte: dayDate(q.to) } : {}),
      },
    },
    orderBy: [{ createdAt: "desc" }, { riderCallId: "asc" }],
    take: q.limit,
  });
  return rows.map((r) => ({
    riderCallId: r.riderCallId,
    orderId: r.orderId,
    shopId: r.shopId,
    shopName: r.shopName,
    riderId: r.riderId,
    riderName: r.riderName,
    feeKrw: r.feeKrw,
    status: r.status as CallStatus,
    settlement: r.settlement as Settlement | null,
    createdAt: r.createdAt.toISOString(),
    completedAt: iso(r.completedAt),
    settledAt: iso(r.settledAt),
    day: r.day.toISOString().slice(0, 10),
  }));
}
