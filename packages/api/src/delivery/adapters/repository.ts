import { directSql } from "@baedal/events";
import type { RiderCall, RiderCallStatus, SettlementStatus, StoredCall } from "../domain/rider-call.js";
import type { Prisma, PrismaClient, RiderCall as RiderCallRow } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";

export type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

const riderCalls = { schema: contextSchemas.delivery, name: "rider_calls" };

const toCall = (r: RiderCallRow): StoredCall => ({
  id: r.id,
  orderId: r.orderId,
  shopId: r.shopId,
  shopName: r.shopName,
  pickupAddress: r.pickupAddress,
  destination: r.destination,
  feeKrw: r.feeKrw,
  status: r.status as RiderCallStatus,
  riderId: r.riderId,
  riderName: r.riderName,
  cancelReason: r.cancelReason,
  settlementStatus: r.settlementStatus as SettlementStatus | null,
  settlementId: r.settlementId,
  acceptedAt: r.acceptedAt,
  pickedUpAt: r.pickedUpAt,
  completedAt: r.completedAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  settleAttempts: r.settleAttempts,
});

const fields = (c: RiderCall) => ({
  status: c.status,
  riderId: c.riderId,
  riderName: c.riderName,
  cancelReason: c.cancelReason,
  settlementStatus: c.settlementStatus,
  settlementId: c.settlementId,
  acceptedAt: c.acceptedAt,
  pickedUpAt: c.pickedUpAt,
  completedAt: c.completedAt,
});

// Rider calls, riders and cancelled-order tombstones in Postgres.

export async function callById(db: Db, id: string): Promise<StoredCall | null> {
  const r = await db.riderCall.findUnique({ where: { id } });
  return r && toCall(r);
}

export async function callByOrder(db: Db, orderId: string): Promise<StoredCall | null> {
  const r = await db.riderCall.findUnique({ where: { orderId } });
  return r && toCall(r);
}

/**
 * Serialises everything this context does about one order within a transaction (a call
 * arriving while its order's cancellation is being handled by the other consumer).
 */
export async function lockOrder(tx: Tx, orderId: string): Promise<void> {
  await directSql(tx).$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", orderId);
}

/** Inserts unless a call for the order exists; returns the row as stored (null: there was one). */
export async function insertCall(tx: Tx, c: RiderCall): Promise<StoredCall | null> {
  const [r] = await insertOrSkip<{ created_at: Date; updated_at: Date; settle_attempts: number }>(
    tx,
    riderCalls,
    [c],
    ["created_at", "updated_at", "settle_attempts"],
  );
  return r
    ? {
        ...c,
        createdAt: new Date(r.created_at),
        updatedAt: new Date(r.updated_at),
        settleAttempts: r.settle_attempts,
      }
    : null;
}

/**
 * Writes `next` only if the call is still in `prev`'s status (`WHERE id = ? AND status = ?`):
 * of two riders racing for one CALLED call exactly one update matches; null when it did not.
 * Returns the row as written — `next` at the new update time (the columns this does not set never
 * change, but the settlement retry count, which no screen shows) — so nobody reads it back.
 */
export async function saveCall(tx: Tx, prev: StoredCall, next: RiderCall): Promise<StoredCall | null> {
  const at = new Date();
  const { count } = await tx.riderCall.updateMany({
    where: { id: prev.id, status: prev.status },
    data: { ...fields(next), updatedAt: at },
  });
  return count === 1 ? { ...prev, ...next, updatedAt: at } : null;
}

/**
 * Records payment's settlement once (`next`: the call settled); null when it was already
 * recorded. Returns the row as written, as saveCall does.
 */
export async function markSettled(tx: Tx, prev: StoredCall, next: RiderCall): Promise<StoredCall | null> {
  const at = new Date();
  const { settlementId } = next;
  const { count } = await tx.riderCall.updateMany({
    where: { id: prev.id, status: "COMPLETED", settlementStatus: "PENDING" },
    data: {
      settlementStatus: "SETTLED",
      settlementId,
      settleAttempts: { increment: 1 },
      updatedAt: at,
    },
  });
  return count === 1 ? { ...prev, ...next, updatedAt: at, settleAttempts: prev.settleAttempts + 1 } : null;
}

/** A failed settlement attempt; the call goes to the back of the retry queue. */
export async function settleFailed(tx: Tx, id: string): Promise<void> {
  await tx.riderCall.updateMany({
    where: { id, settlementStatus: "PENDING" },
    data: { settleAttempts: { increment: 1 }, updatedAt: new Date() },
  });
}

/** Completed calls whose fee is not settled yet, least recently tried first. */
export async function pendingSettlements(db: Db, olderThan: Date, limit: number): Promise<StoredCall[]> {
  const rows = await db.riderCall.findMany({
    where: { settlementStatus: "PENDING", updatedAt: { lt: olderThan } },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  return rows.map(toCall);
}

export async function openCalls(db: Db, limit = 200): Promise<StoredCall[]> {
  const rows = await db.riderCall.findMany({
    where: { status: "CALLED" },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return rows.map(toCall);
}

export async function riderCallsSince(db: Db, riderId: string, since: Date): Promise<StoredCall[]> {
  const rows = await db.riderCall.findMany({
    where: { riderId, acceptedAt: { gte: since } },
    orderBy: { acceptedAt: "desc" },
  });
  return rows.map(toCall);
}

export async function rider(db: Db, riderId: string) {
  return db.rider.findUnique({ where: { riderId } });
}

export async function setOnline(tx: Tx, riderId: string, name: string, online: boolean) {
  return tx.rider.upsert({
    where: { riderId },
    create: { riderId, name, online },
    update: { name, online, updatedAt: new Date() },
  });
}

export async function cancelledReason(tx: Tx, orderId: string): Promise<string | null> {
  const t = await tx.cancelledOrder.findUnique({ where: { orderId } });
  return t?.reason ?? null;
}

export async function tombstone(tx: Tx, orderId: string, reason: string): Promise<void> {
  await insertOrSkip(tx, { schema: contextSchemas.delivery, name: "cancelled_orders" }, [
    { orderId, reason },
  ]);
}
