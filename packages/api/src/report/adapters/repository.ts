import { quoteIdent, type OrderStatus } from "@baedal/events";
import { contextSchemas } from "../../platform/schemas.js";
import { Prisma, type PrismaClient } from "../generated/client.js";
import type { CallStatus, DeliveryRow, OrderRow, Settlement } from "../domain/projections.js";

export type Tx = Prisma.TransactionClient;

/** Raw SQL names a table by its schema: the Prisma adapter scopes model queries, not raw ones. */
const table = (name: string) => Prisma.raw(`${quoteIdent(contextSchemas.report)}.${quoteIdent(name)}`);
const deliveries = table("deliveries");
const orders = table("orders");

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);
const day = (d: Date) => d.toISOString().slice(0, 10);
const dayDate = (s: string) => new Date(`${s}T00:00:00.000Z`);

export const toDeliveryRow = (r: Prisma.DeliveryModel): DeliveryRow => ({
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
  day: day(r.day),
});

/**
 * Reads one call's row under a row lock, inserting `seed` first when there is none, so that two
 * events of one call (say RiderCallCompleted and RiderFeeSettled on two consumers) serialize
 * instead of overwriting each other.
 */
export async function lockDelivery(tx: Tx, seed: DeliveryRow): Promise<DeliveryRow> {
  await tx.delivery.createMany({ data: [deliveryData(seed)], skipDuplicates: true });
  await tx.$queryRaw`SELECT 1 FROM ${deliveries} WHERE rider_call_id = ${seed.riderCallId}::uuid FOR UPDATE`;
  return toDeliveryRow(await tx.delivery.findUniqueOrThrow({ where: { riderCallId: seed.riderCallId } }));
}

export async function saveDelivery(tx: Tx, r: DeliveryRow): Promise<void> {
  await tx.delivery.update({ where: { riderCallId: r.riderCallId }, data: deliveryData(r) });
}

function deliveryData(r: DeliveryRow) {
  return {
    riderCallId: r.riderCallId,
    orderId: r.orderId,
    shopId: r.shopId,
    shopName: r.shopName,
    riderId: r.riderId,
    riderName: r.riderName,
    feeKrw: r.feeKrw,
    status: r.status,
    settlement: r.settlement,
    createdAt: new Date(r.createdAt),
    completedAt: date(r.completedAt),
    settledAt: date(r.settledAt),
    day: dayDate(r.day),
  };
}

const toOrderRow = (r: Prisma.OrderModel): OrderRow => ({
  orderId: r.orderId,
  shopId: r.shopId,
  day: day(r.day),
  totalKrw: r.totalKrw,
  status: r.status as OrderStatus,
  seq: r.seq,
  placedAt: iso(r.placedAt),
  cancelled: r.cancelled,
  refundedKrw: r.refundedKrw,
});

/** Reads one order's row under a row lock, inserting `seed` first when there is none. */
export async function lockOrder(tx: Tx, seed: OrderRow): Promise<OrderRow> {
  await tx.order.createMany({ data: [orderData(seed)], skipDuplicates: true });
  await tx.$queryRaw`SELECT 1 FROM ${orders} WHERE order_id = ${seed.orderId}::uuid FOR UPDATE`;
  return toOrderRow(await tx.order.findUniqueOrThrow({ where: { orderId: seed.orderId } }));
}

export async function saveOrder(tx: Tx, r: OrderRow): Promise<void> {
  await tx.order.update({ where: { orderId: r.orderId }, data: orderData(r) });
}

function orderData(r: OrderRow) {
  return {
    orderId: r.orderId,
    shopId: r.shopId,
    day: dayDate(r.day),
    totalKrw: r.totalKrw,
    status: r.status,
    seq: r.seq,
    placedAt: date(r.placedAt),
    cancelled: r.cancelled,
    refundedKrw: r.refundedKrw,
  };
}

export async function listDeliveries(db: PrismaClient, q: { from?: string; to?: string; limit: number }) {
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
  return rows.map(toDeliveryRow);
}

export interface DayFigures {
  day: string;
  orders: number;
  revenueKrw: number;
  delivered: number;
  cancelled: number;
  deliveryFeesKrw: number;
  settledKrw: number;
  pendingKrw: number;
}

type RawFigures = { [K in keyof DayFigures]: K extends "day" ? string : bigint | number | null };
const toFigures = (r: RawFigures): DayFigures => ({
  day: r.day,
  orders: Number(r.orders ?? 0),
  revenueKrw: Number(r.revenueKrw ?? 0),
  delivered: Number(r.delivered ?? 0),
  cancelled: Number(r.cancelled ?? 0),
  deliveryFeesKrw: Number(r.deliveryFeesKrw ?? 0),
  settledKrw: Number(r.settledKrw ?? 0),
  pendingKrw: Number(r.pendingKrw ?? 0),
});

/** Figures per Seoul day for the last `days` days (today included), computed from the read model. */
export async function daily(db: PrismaClient, days: number): Promise<DayFigures[]> {
  const rows = await db.$queryRaw<RawFigures[]>`
    WITH span AS (
      SELECT generate_series(
               (now() AT TIME ZONE 'Asia/Seoul')::date - (${days}::int - 1),
               (now() AT TIME ZONE 'Asia/Seoul')::date,
               interval '1 day')::date AS day
    ),
    o AS (
      SELECT day,
             count(*) FILTER (WHERE placed_at IS NOT NULL)                          AS orders,
             coalesce(sum(total_krw) FILTER (WHERE placed_at IS NOT NULL), 0)
               - coalesce(sum(refunded_krw), 0)                                     AS revenue,
             count(*) FILTER (WHERE status = 'DELIVERED')                           AS delivered,
             count(*) FILTER (WHERE cancelled)                                      AS cancelled
        FROM ${orders} GROUP BY day
    ),
    d AS (
      SELECT day,
             sum(fee_krw) FILTER (WHERE status = 'COMPLETED')  AS fees,
             sum(fee_krw) FILTER (WHERE settlement = 'SETTLED') AS settled,
             sum(fee_krw) FILTER (WHERE settlement = 'PENDING') AS pending
        FROM ${deliveries} GROUP BY day
    )
    SELECT to_char(span.day, 'YYYY-MM-DD')  AS "day",
           coalesce(o.orders, 0)::bigint     AS "orders",
           coalesce(o.revenue, 0)::bigint    AS "revenueKrw",
           coalesce(o.delivered, 0)::bigint  AS "delivered",
           coalesce(o.cancelled, 0)::bigint  AS "cancelled",
           coalesce(d.fees, 0)::bigint       AS "deliveryFeesKrw",
           coalesce(d.settled, 0)::bigint    AS "settledKrw",
           coalesce(d.pending, 0)::bigint    AS "pendingKrw"
      FROM span LEFT JOIN o ON o.day = span.day LEFT JOIN d ON d.day = span.day
     ORDER BY span.day DESC`;
  return rows.map(toFigures);
}

/** All-time totals over the read model. */
export async function summary(db: PrismaClient) {
  const [row] = await db.$queryRaw<
    (Omit<RawFigures, "day"> & { deliveries: bigint; openDeliveries: bigint })[]
  >`
    SELECT o.orders AS "orders", o.revenue AS "revenueKrw", o.delivered AS "delivered", o.cancelled AS "cancelled",
           d.deliveries AS "deliveries", d.open AS "openDeliveries",
           d.fees AS "deliveryFeesKrw", d.settled AS "settledKrw", d.pending AS "pendingKrw"
      FROM (SELECT count(*) FILTER (WHERE placed_at IS NOT NULL)::bigint AS orders,
                   coalesce(sum(total_krw) FILTER (WHERE placed_at IS NOT NULL), 0)::bigint
                     - coalesce(sum(refunded_krw), 0)::bigint AS revenue,
                   count(*) FILTER (WHERE status = 'DELIVERED')::bigint AS delivered,
                   count(*) FILTER (WHERE cancelled)::bigint AS cancelled
              FROM ${orders}) o,
           (SELECT count(*)::bigint AS deliveries,
                   count(*) FILTER (WHERE status IN ('CALLED', 'ACCEPTED', 'PICKED_UP'))::bigint AS open,
                   coalesce(sum(fee_krw) FILTER (WHERE status = 'COMPLETED'), 0)::bigint AS fees,
                   coalesce(sum(fee_krw) FILTER (WHERE settlement = 'SETTLED'), 0)::bigint AS settled,
                   coalesce(sum(fee_krw) FILTER (WHERE settlement = 'PENDING'), 0)::bigint AS pending
              FROM ${deliveries}) d`;
  const r = row!;
  const { day: _day, ...totals } = toFigures({ ...r, day: "" });
  return {
    ...totals,
    deliveries: Number(r.deliveries),
    openDeliveries: Number(r.openDeliveries),
  };
}
