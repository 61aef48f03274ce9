import type { PrismaClient } from "../generated/client.js";
import { reportTables } from "./repository.js";

/** The admin's figures, computed from the read model at query time (raw SQL: aggregates by day). */
const { deliveries, orders } = reportTables;

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
