import { quoteIdent, type OrderLine, type OrderStatus } from "@baedal/events";
import { contextSchemas } from "../../platform/schemas.js";
import { Prisma, type PrismaClient } from "../generated/client.js";
import type { DeliveryStatus, OrderView, TimelineStep } from "../domain/order-view.js";

export type Tx = Prisma.TransactionClient;
type Db = Tx | PrismaClient;
type Row = Prisma.OrderViewModel;

/** Raw SQL names a table by its schema: the Prisma adapter scopes model queries, not raw ones. */
const table = (name: string) => Prisma.raw(`${quoteIdent(contextSchemas.mypage)}.${quoteIdent(name)}`);
const orderViews = table("order_views");
const feedHeads = table("feed_heads");

/** ORDER: an order event changed the view; DELIVERY: a rider call event did; NOTIFICATION: a notification. */
export type FeedKind = "ORDER" | "DELIVERY" | "NOTIFICATION";
export interface FeedItem {
  seq: number;
  kind: FeedKind;
  orderId: string | null;
  payload: unknown;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export function toView(r: Row): OrderView {
  return {
    orderId: r.orderId,
    customerId: r.customerId,
    shopId: r.shopId,
    shopName: r.shopName,
    status: r.status as OrderStatus,
    seq: r.seq,
    lines: r.lines as unknown as OrderLine[],
    itemsTotalKrw: r.itemsTotalKrw,
    deliveryFeeKrw: r.deliveryFeeKrw,
    totalKrw: r.totalKrw,
    deliveryAddress: r.deliveryAddress,
    placedAt: iso(r.placedAt),
    prepMinutes: r.prepMinutes,
    etaAt: iso(r.etaAt),
    riderName: r.riderName,
    cancelledBy: r.cancelledBy,
    cancelReason: r.cancelReason,
    refundedKrw: r.refundedKrw,
    deliveryStatus: r.deliveryStatus as DeliveryStatus | null,
    timeline: r.timeline as unknown as TimelineStep[],
  };
}

/**
 * Loads one order view under a row lock, creating the row first if it does not exist yet, so
 * that two replicas handling two events of one order serialize on it.
 */
export async function lockView(tx: Tx, seed: OrderView): Promise<OrderView> {
  await tx.$executeRaw`
    INSERT INTO ${orderViews} (order_id, customer_id, shop_id, status, seq, lines, timeline, updated_at)
    VALUES (${seed.orderId}::uuid, ${seed.customerId}::uuid, ${seed.shopId}::uuid, ${seed.status}, 0, '[]', '[]', now())
    ON CONFLICT (order_id) DO NOTHING`;
  await tx.$executeRaw`SELECT 1 FROM ${orderViews} WHERE order_id = ${seed.orderId}::uuid FOR UPDATE`;
  const row = await tx.orderView.findUniqueOrThrow({ where: { orderId: seed.orderId } });
  return toView(row);
}

/**
 * Loads an order view under a row lock, or null when no order event has made it yet (events of
 * other sources do not carry the customer, so they cannot start a view).
 */
export async function lockExistingView(tx: Tx, orderId: string): Promise<OrderView | null> {
  const rows = await tx.$queryRaw<{ order_id: string }[]>`
    SELECT order_id FROM ${orderViews} WHERE order_id = ${orderId}::uuid FOR UPDATE`;
  if (rows.length === 0) return null;
  return toView(await tx.orderView.findUniqueOrThrow({ where: { orderId } }));
}

/** An order view as committed (no lock), or null. */
export async function viewOf(db: Db, orderId: string): Promise<OrderView | null> {
  const row = await db.orderView.findUnique({ where: { orderId } });
  return row ? toView(row) : null;
}

export async function saveView(tx: Tx, v: OrderView): Promise<void> {
  await tx.orderView.update({
    where: { orderId: v.orderId },
    data: {
      shopName: v.shopName,
      status: v.status,
      seq: v.seq,
      lines: v.lines as unknown as Prisma.InputJsonValue,
      itemsTotalKrw: v.itemsTotalKrw,
      deliveryFeeKrw: v.deliveryFeeKrw,
      totalKrw: v.totalKrw,
      deliveryAddress: v.deliveryAddress,
      placedAt: date(v.placedAt),
      prepMinutes: v.prepMinutes,
      etaAt: date(v.etaAt),
      riderName: v.riderName,
      cancelledBy: v.cancelledBy,
      cancelReason: v.cancelReason,
      refundedKrw: v.refundedKrw,
      deliveryStatus: v.deliveryStatus,
      timeline: v.timeline as unknown as Prisma.InputJsonValue,
      updatedAt: new Date(),
    },
  });
}

/**
 * Appends one entry to a customer's feed. The head row is incremented (and row-locked until
 * commit) in this transaction, so per customer entries commit in seq order and a reader that
 * has seen seq N never misses an N+1 that commits later.
 */
export async function appendFeed(
  tx: Tx,
  customerId: string,
  kind: FeedKind,
  orderId: string | null,
  payload: unknown,
): Promise<number> {
  const [head] = await tx.$queryRaw<{ seq: bigint }[]>`
    INSERT INTO ${feedHeads} AS h (customer_id, seq) VALUES (${customerId}::uuid, 1)
    ON CONFLICT (customer_id) DO UPDATE SET seq = h.seq + 1
    RETURNING seq`;
  const seq = head!.seq;
  await tx.feedEntry.create({
    data: { customerId, seq, kind, orderId, payload: payload as Prisma.InputJsonValue },
  });
  return Number(seq);
}

export async function feedHead(db: Db, customerId: string): Promise<number> {
  const head = await db.feedHead.findUnique({ where: { customerId } });
  return head ? Number(head.seq) : 0;
}

export async function feedAfter(db: Db, customerId: string, after: number, limit = 200): Promise<FeedItem[]> {
  const rows = await db.feedEntry.findMany({
    where: { customerId, seq: { gt: BigInt(after) } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind as FeedKind,
    orderId: r.orderId,
    payload: r.payload,
  }));
}

export async function listViews(db: Db, customerId: string, limit = 100): Promise<OrderView[]> {
  const rows = await db.orderView.findMany({
    where: { customerId },
    orderBy: [{ placedAt: { sort: "desc", nulls: "first" } }, { updatedAt: "desc" }],
    take: limit,
  });
  return rows.map(toView);
}

export async function findView(db: Db, customerId: string, orderId: string): Promise<OrderView | null> {
  const row = await db.orderView.findFirst({ where: { orderId, customerId } });
  return row ? toView(row) : null;
}
