import type { PrismaClient } from "../generated/client.js";
import type { Tx } from "./ticket-repo.js";

/** A rider call under way (see migrations/0003_rider_call_claims.sql); its id is the attempt id. */
export interface RiderCallClaim {
  id: string;
  ticketId: string;
  orderId: string;
  feeKrw: number;
  claimedAt: Date;
}

/** Claims in Postgres. Callers hold the ticket's lock (ticketRepo.lock) around every change. */
export const claimRepo = {
  forTicket(tx: Tx, ticketId: string): Promise<RiderCallClaim | null> {
    return tx.riderCallClaim.findUnique({ where: { ticketId } });
  },

  async add(tx: Tx, claim: RiderCallClaim): Promise<void> {
    await tx.riderCallClaim.create({ data: claim });
  },

  /** Removes this claim; false when it is gone already (released by someone else). */
  async remove(tx: Tx, id: string): Promise<boolean> {
    const { count } = await tx.riderCallClaim.deleteMany({ where: { id } });
    return count === 1;
  },

  exists(tx: Tx, id: string): Promise<boolean> {
    return tx.riderCallClaim.count({ where: { id } }).then((n) => n > 0);
  },

  /** Claims older than `before`: their call failed or their process died. */
  claimedBefore(db: PrismaClient, before: Date, limit = 50): Promise<RiderCallClaim[]> {
    return db.riderCallClaim.findMany({
      where: { claimedAt: { lt: before } },
      orderBy: { claimedAt: "asc" },
      take: limit,
    });
  },
};
