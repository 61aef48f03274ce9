import type { CheckoutAttempt, Prisma, PrismaClient } from "../generated/client.js";
import { openAttemptStatuses, type AttemptStatus } from "../domain/checkout.js";
import type { OrderDraft } from "../domain/order.js";

export type { AttemptStatus };

type Tx = Prisma.TransactionClient;


export type AttemptState = Pick<CheckoutAttempt, "id" | "requestHash" | "declineCode" | "declineMessage"> & {
  status: AttemptStatus;
  draft: OrderDraft;
};

const open = [...openAttemptStatuses];

const asState = (row: CheckoutAttempt): AttemptState => ({
  ...row,
  status: row.status as AttemptStatus,
  draft: row.draft as unknown as OrderDraft,
});

/** order's checkout attempts: one per customer and idempotency key, each request to payment counted. */
export class AttemptRepository {
  constructor(private readonly db: PrismaClient) {}

  async find(customerId: string, idempotencyKey: string): Promise<AttemptState | null> {
    const row = await this.db.checkoutAttempt.findUnique({
      where: { customerId_idempotencyKey: { customerId, idempotencyKey } },
    });
    return row && asState(row);
  }

  /**
   * A new attempt, PENDING, its first send to payment already counted. Of concurrent ones with
   * one key the first wins: the others get the winner (null when the insert lost).
   */
  async record(a: { id: string; customerId: string; idempotencyKey: string; requestHash: string; draft: OrderDraft }) {
    try {
      // `create`, not `createMany … skipDuplicates`: Prisma caches a create's query plan but
      // compiles a createMany on every call. Inserted: the row is what we wrote, no read back.
      await this.db.checkoutAttempt.create({
        data: { ...a, status: "PENDING", draft: a.draft as unknown as Prisma.InputJsonValue },
        select: { id: true },
      });
      return null;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await this.find(a.customerId, a.idempotencyKey))!;
    }
  }

  /**
   * Counts one more send of an open attempt before it leaves (an UNSENT one is PENDING again).
   * False when the attempt is no longer open (decided meanwhile): nothing is counted then.
   */
  async claimSend(id: string): Promise<boolean> {
    const claimed = await this.db.$executeRaw`
      UPDATE ordering.checkout_attempts
         SET sends = sends + 1,
             status = CASE WHEN status = 'UNSENT' THEN 'PENDING' ELSE status END,
             updated_at = now()
       WHERE id = ${id}::uuid AND status = ANY(${open}::text[])`;
    return claimed === 1;
  }

  /**
   * One send provably never reached payment. When none of the attempt's sends did, it is UNSENT
   * (a send still on its way, or one whose outcome was lost in a crash, keeps it from being so).
   */
  async markUnsent(id: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE ordering.checkout_attempts
         SET unsent = unsent + 1,
             status = CASE WHEN unsent + 1 >= sends AND status IN ('PENDING', 'UNKNOWN') THEN 'UNSENT' ELSE status END,
             updated_at = now()
       WHERE id = ${id}::uuid`;
  }

  /** A send whose outcome is unknown (timeout, lost reply): to be voided unless placed by a retry. */
  async markUnknown(id: string): Promise<void> {
    await this.decide(id, { status: "UNKNOWN" });
  }

  async markDeclined(id: string, code: string, message: string): Promise<void> {
    await this.decide(id, { status: "DECLINED", declineCode: code, declineMessage: message });
  }

  async markVoided(id: string): Promise<void> {
    await this.decide(id, { status: "VOIDED" });
  }

  /** In the place-order transaction: true when this open attempt is now PLACED (the caller won it). */
  async markPlaced(tx: Tx, id: string): Promise<boolean> {
    const { count } = await tx.checkoutAttempt.updateMany({
      where: { id, status: { in: open } },
      data: { status: "PLACED", updatedAt: new Date() },
    });
    return count === 1;
  }

  async statusOf(id: string): Promise<AttemptStatus> {
    const row = await this.db.checkoutAttempt.findUniqueOrThrow({ where: { id }, select: { status: true } });
    return row.status as AttemptStatus;
  }

  /** UNSENT attempts idle since `before` are closed (VOIDED) without a call: nothing was charged. */
  async closeUnsent(before: Date): Promise<number> {
    return this.db.$executeRaw`
      UPDATE ordering.checkout_attempts SET status = 'VOIDED', updated_at = now()
       WHERE status = 'UNSENT' AND updated_at < ${before}`;
  }

  /**
   * Claims up to `limit` PENDING/UNKNOWN attempts idle since `before`, oldest first: VOIDING,
   * committed before payment is asked to void them, so no retry of the checkout can place one
   * meanwhile. (Holding a row lock across the call instead is not enough: when that transaction
   * is lost after payment voided, a waiting checkout would place the order on a voided payment.)
   */
  async claimStale(before: Date, limit: number): Promise<number> {
    return this.db.$executeRaw`
      UPDATE ordering.checkout_attempts SET status = 'VOIDING', updated_at = now()
       WHERE id IN (SELECT id FROM ordering.checkout_attempts
                     WHERE status IN ('PENDING', 'UNKNOWN') AND updated_at < ${before}
                     ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }

  /** The oldest claimed attempts, whose void payment has not confirmed yet. */
  async voiding(limit: number): Promise<string[]> {
    const rows = await this.db.checkoutAttempt.findMany({
      where: { status: "VOIDING" },
      orderBy: { createdAt: "asc" },
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Payment confirmed these voids. */
  async voided(ids: string[]): Promise<number> {
    const { count } = await this.db.checkoutAttempt.updateMany({
      where: { id: { in: ids }, status: "VOIDING" },
      data: { status: "VOIDED", updatedAt: new Date() },
    });
    return count;
  }

  /** Conditional on the attempt being open: a decision never overwrites another. */
  private async decide(id: string, data: { status: AttemptStatus; declineCode?: string; declineMessage?: string }) {
    await this.db.checkoutAttempt.updateMany({
      where: { id, status: { in: open } },
      data: { ...data, updatedAt: new Date() },
    });
  }
}

/** Prisma's "unique constraint failed" (P2002): here, a concurrent checkout with the same key won. */
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === "P2002";
