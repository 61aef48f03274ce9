import { directSql } from "@baedal/events";
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";
import type { Order, OrderDraft } from "../domain/order.js";

export type Tx = Prisma.TransactionClient;
type Db = Tx | PrismaClient;

/**
 * Loads an order and locks its row until the transaction ends, so transitions never interleave:
 * one statement (a lock, then a Prisma read, were two on every status change of every order).
 */
export async function loadForUpdate(tx: Tx, orderId: string): Promise<Order | null> {
  const [r] = await directSql(tx).$queryRawUnsafe<(Omit<Order, "etaAt"> & { etaAt: Date | string | null })[]>(
    `SELECT id, customer_id AS "customerId", shop_id AS "shopId", status, seq, total_krw AS "totalKrw",
            prep_minutes AS "prepMinutes", eta_at AS "etaAt", rider_call_id AS "riderCallId",
            rider_id AS "riderId", rider_name AS "riderName", cancelled_by AS "cancelledBy",
            cancel_reason AS "cancelReason", refunded_krw AS "refundedKrw"
       FROM ordering.orders WHERE id = $1::uuid FOR UPDATE`,
    orderId,
  );
  return r ? { ...r, etaAt: r.etaAt === null ? null : new Date(r.etaAt) } : null;
}

/**
 * Plain INSERTs, each with a cached query plan: a nested `create` also reads the whole order back
 * (a third statement in the place-order transaction), and Prisma compiles a `createMany` anew on
 * every call (its plans are never cached), which costs about twice the CPU of a `create`.
 * A cart of several lines is still one statement (`insertOrSkip`; the lines' ids are new, so
 * nothing is skipped) rather than one per line.
 */
export async function insertOrder(tx: Tx, order: Order, draft: OrderDraft, at: Date) {
  await tx.order.create({
    select: { id: true },
    data: {
      id: order.id,
      customerId: order.customerId,
      shopId: draft.shopId,
      shopName: draft.shopName,
      shopAddress: draft.shopAddress,
      status: order.status,
      seq: order.seq,
      itemsTotalKrw: draft.itemsTotalKrw,
      deliveryFeeKrw: draft.deliveryFeeKrw,
      totalKrw: draft.totalKrw,
      deliveryAddress: draft.deliveryAddress,
      phone: draft.phone,
      note: draft.note,
      placedAt: at,
      updatedAt: at,
    },
  });
  const lines = draft.lines.map((l) => ({
    id: randomUUID(),
    orderId: order.id,
    menuItemId: l.menuItemId,
    name: l.name,
    unitPriceKrw: l.unitPriceKrw,
    quantity: l.quantity,
  }));
  if (lines.length === 1) await tx.orderLine.create({ select: { id: true }, data: lines[0]! });
  else await insertOrSkip(tx, { schema: contextSchemas.order, name: "order_lines" }, lines);
}

export async function saveOrder(tx: Tx, o: Order) {
  await tx.order.update({
    where: { id: o.id },
    data: {
      status: o.status,
      seq: o.seq,
      prepMinutes: o.prepMinutes,
      etaAt: o.etaAt,
      riderCallId: o.riderCallId,
      riderId: o.riderId,
      riderName: o.riderName,
      cancelledBy: o.cancelledBy,
      cancelReason: o.cancelReason,
      refundedKrw: o.refundedKrw,
      updatedAt: new Date(),
    },
  });
}

/** An order as its readers see it: every column and its lines. */
export function findWithLines(db: Db, orderId: string) {
  return db.order.findUnique({ where: { id: orderId }, include: { lines: true } });
}

/** Customer service's search: by order id, or by part of a phone number; newest first, 50 at most. */
export function findForSupport(db: Db, by: { orderId: string } | { phone: string }) {
  return db.order.findMany({
    where: "orderId" in by ? { id: by.orderId } : { phone: { contains: by.phone } },
    orderBy: { placedAt: "desc" },
    take: 50,
  });
}
