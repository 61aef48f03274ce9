import { directSql, type CancelledBy, type OrderLine } from "@baedal/events";
import type { DeliveryStatus, StoredTicket, Ticket, TicketStatus } from "../domain/ticket.js";
import { activeStatuses } from "../domain/ticket.js";
import type { Prisma, PrismaClient, Ticket as TicketRow } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";

export type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

const tickets = { schema: contextSchemas.store, name: "tickets" };

const toTicket = (r: TicketRow): Ticket => ({
  id: r.id,
  orderId: r.orderId,
  shopId: r.shopId,
  shopName: r.shopName,
  shopAddress: r.shopAddress,
  status: r.status as TicketStatus,
  lines: r.lines as OrderLine[],
  itemsTotalKrw: r.itemsTotalKrw,
  totalKrw: r.totalKrw,
  deliveryAddress: r.deliveryAddress,
  phone: r.phone,
  note: r.note,
  prepMinutes: r.prepMinutes,
  rejectReason: r.rejectReason,
  cancelReason: r.cancelReason,
  riderCalledAt: r.riderCalledAt,
  riderFeeKrw: r.riderFeeKrw,
  riderDestination: r.riderDestination,
  deliveryStatus: r.deliveryStatus as DeliveryStatus | null,
  riderName: r.riderName,
  cancelledBy: r.cancelledBy as CancelledBy | null,
  refundedKrw: r.refundedKrw,
});

const toStored = (r: TicketRow): StoredTicket => ({
  ...toTicket(r),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** Tombstones (cancelled before the ticket existed) have no lines; the shop never sees them. */
const notTombstone: Prisma.TicketWhereInput = { NOT: { lines: { equals: [] } } };

// ── Tickets. Writes are compare-and-set on (status, rider_called_at, delivery_status, refunded_krw).

/**
 * Serializes commands on one ticket until the transaction ends (an advisory lock on its id,
 * so the holder may make a call to another context meanwhile without a row lock held open;
 * a waiter waits at most as long as that call's timeout).
 */
export async function lockTicket(tx: Tx, ticketId: string): Promise<void> {
  await directSql(tx).$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ticketId);
}

/** The order's ticket or tombstone. */
export async function ticketByOrder(db: Db, orderId: string): Promise<StoredTicket | null> {
  const r = await db.ticket.findUnique({ where: { orderId } });
  return r && toStored(r);
}

/** A ticket of this shop, or null (another shop's ticket does not exist for the caller). */
export async function ticketForShop(db: Db, ticketId: string, shopId: string): Promise<StoredTicket | null> {
  const r = await db.ticket.findFirst({ where: { id: ticketId, shopId, ...notTombstone } });
  return r && toStored(r);
}

/** The shop's board: every open ticket plus everything since `since`, newest first. */
export async function boardTickets(db: Db, shopId: string, since: Date): Promise<StoredTicket[]> {
  const open: Prisma.TicketWhereInput = {
    status: { in: activeStatuses },
    OR: [{ deliveryStatus: null }, { deliveryStatus: { not: "DELIVERED" } }],
  };
  const rows = await db.ticket.findMany({
    where: {
      shopId,
      ...notTombstone,
      OR: [open, { createdAt: { gte: since } }],
    },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map(toStored);
}

/**
 * Inserts unless a ticket (or tombstone) for the order exists; returns the row as stored (null:
 * there was one), so that nothing has to read it back.
 */
export async function insertTicket(tx: Tx, t: Ticket): Promise<StoredTicket | null> {
  const [r] = await insertOrSkip<{ created_at: Date; updated_at: Date }>(
    tx,
    tickets,
    [t],
    ["created_at", "updated_at"],
  );
  return r ? { ...t, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) } : null;
}

/**
 * Writes `next` only if the row still is `prev`; null when someone changed it meanwhile. Returns
 * the row as written — `next` with `prev`'s creation time and the new update time: every column
 * this does not set never changes after the insert, so nobody has to read it back.
 */
export async function saveTicket(tx: Tx, prev: StoredTicket, next: Ticket): Promise<StoredTicket | null> {
  const at = new Date();
  const { count } = await tx.ticket.updateMany({
    where: {
      id: prev.id,
      status: prev.status,
      riderCalledAt: prev.riderCalledAt,
      deliveryStatus: prev.deliveryStatus,
      refundedKrw: prev.refundedKrw,
    },
    data: {
      status: next.status,
      prepMinutes: next.prepMinutes,
      rejectReason: next.rejectReason,
      cancelReason: next.cancelReason,
      riderCalledAt: next.riderCalledAt,
      riderFeeKrw: next.riderFeeKrw,
      riderDestination: next.riderDestination,
      deliveryStatus: next.deliveryStatus,
      riderName: next.riderName,
      cancelledBy: next.cancelledBy,
      refundedKrw: next.refundedKrw,
      updatedAt: at,
    },
  });
  return count === 1 ? { ...next, createdAt: prev.createdAt, updatedAt: at } : null;
}

// ── Rider call claims (see migrations/0003_rider_call_claims.sql); a claim's id is the attempt id.
// Callers hold the ticket's lock (lockTicket) around every change.

/** A rider call under way. */
export interface RiderCallClaim {
  id: string;
  ticketId: string;
  orderId: string;
  feeKrw: number;
  claimedAt: Date;
}

export function claimOfTicket(tx: Tx, ticketId: string): Promise<RiderCallClaim | null> {
  return tx.riderCallClaim.findUnique({ where: { ticketId } });
}

export async function addClaim(tx: Tx, claim: RiderCallClaim): Promise<void> {
  await tx.riderCallClaim.create({ data: claim });
}

/** Removes this claim; false when it is gone already (released by someone else). */
export async function removeClaim(tx: Tx, id: string): Promise<boolean> {
  const { count } = await tx.riderCallClaim.deleteMany({ where: { id } });
  return count === 1;
}

export function claimExists(tx: Tx, id: string): Promise<boolean> {
  return tx.riderCallClaim.count({ where: { id } }).then((n) => n > 0);
}

/** Claims older than `before`: their call failed or their process died. */
export function claimsBefore(db: PrismaClient, before: Date, limit = 50): Promise<RiderCallClaim[]> {
  return db.riderCallClaim.findMany({
    where: { claimedAt: { lt: before } },
    orderBy: { claimedAt: "asc" },
    take: limit,
  });
}
