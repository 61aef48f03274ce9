import type { OrderLine } from "@baedal/events";
import type { CancelledBy } from "@baedal/events";
import { activeStatuses, type DeliveryStatus, type Ticket, type TicketStatus } from "../domain/ticket.js";
import type { Prisma, PrismaClient, Ticket as TicketRow } from "../generated/client.js";

export type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

export const toTicket = (r: TicketRow): Ticket => ({
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

/** Tombstones (cancelled before the ticket existed) have no lines; the shop never sees them. */
const notTombstone: Prisma.TicketWhereInput = { NOT: { lines: { equals: [] } } };

/** Tickets in Postgres. Writes are compare-and-set on (status, rider_called_at). */
export const ticketRepo = {
  /**
   * Serializes commands on one ticket until the transaction ends (an advisory lock on its id,
   * so the holder may make a call to another context meanwhile without a row lock held open;
   * a waiter waits at most as long as that call's timeout).
   */
  async lock(tx: Tx, ticketId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${ticketId}, 0))`;
  },

  async byOrder(db: Db, orderId: string): Promise<Ticket | null> {
    const r = await db.ticket.findUnique({ where: { orderId } });
    return r && toTicket(r);
  },

  /** A real ticket (not a tombstone) with its timestamps, whatever its shop. */
  async stored(db: Db, ticketId: string): Promise<(Ticket & { createdAt: Date; updatedAt: Date }) | null> {
    const r = await db.ticket.findFirst({ where: { id: ticketId, ...notTombstone } });
    return r && { ...toTicket(r), createdAt: r.createdAt, updatedAt: r.updatedAt };
  },

  /** A ticket of this shop, or null (another shop's ticket does not exist for the caller). */
  async forShop(
    db: Db,
    ticketId: string,
    shopId: string,
  ): Promise<(Ticket & { createdAt: Date; updatedAt: Date }) | null> {
    const r = await db.ticket.findFirst({ where: { id: ticketId, shopId, ...notTombstone } });
    return r && { ...toTicket(r), createdAt: r.createdAt, updatedAt: r.updatedAt };
  },

  /** The shop's board: every open ticket plus everything since `since`, newest first. */
  async board(db: Db, shopId: string, since: Date) {
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
    return rows.map((r) => ({ ...toTicket(r), createdAt: r.createdAt, updatedAt: r.updatedAt }));
  },

  /** Inserts unless a ticket (or tombstone) for the order exists; returns whether it did. */
  async insert(tx: Tx, t: Ticket): Promise<boolean> {
    const { count } = await tx.ticket.createMany({
      data: [{ ...t, lines: t.lines as unknown as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    return count === 1;
  },

  /** Writes `next` only if the row still is `prev`; false when someone changed it meanwhile. */
  async save(tx: Tx, prev: Ticket, next: Ticket): Promise<boolean> {
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
        updatedAt: new Date(),
      },
    });
    return count === 1;
  },
};
