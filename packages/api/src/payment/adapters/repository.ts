import { randomUUID } from "node:crypto";
import { directSql } from "@baedal/events";
import type {
  Authorization,
  LedgerLine,
  PaymentState,
  PaymentStatus,
  RiderFee,
  RiderFeeState,
} from "../domain/payment.js";
import type { Prisma, PrismaClient } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";

export type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

/** Inserts that may meet a duplicate go through `insertOrSkip` (Prisma's createMany compiles anew per call). */
const table = (name: string) => ({ schema: contextSchemas.payment, name });

// ── Payments. Every change of a payment happens under its row lock (lockPayments).

export function findPayment(db: Db, orderId: string) {
  return db.payment.findUnique({ where: { orderId } });
}

/** A payment that must be there (its row was seen or written in this very call). */
export function getPayment(db: Db, orderId: string) {
  return db.payment.findUniqueOrThrow({ where: { orderId } });
}

/** Inserts the authorized payment unless the order has one (a duplicate, or a void's tombstone); returns whether it did. */
export async function insertPayment(tx: Tx, p: Authorization): Promise<boolean> {
  const { id, orderId, customerId, amountKrw, status, cardLast4, gatewayRef } = p;
  const rows = [{ id, orderId, customerId, amountKrw, status, cardLast4, gatewayRef }];
  return (await insertOrSkip(tx, table("payments"), rows)).length === 1;
}

/** A VOIDED tombstone for every order without a payment row, so that a late authorize cannot charge. */
export async function tombstoneAttempts(tx: Tx, orderIds: string[]): Promise<void> {
  const rows = orderIds.map((orderId) => ({ id: randomUUID(), orderId, amountKrw: 0, status: "VOIDED" }));
  await insertOrSkip(tx, table("payments"), rows);
}

/** Payment rows of many orders, locked until the transaction ends (in order-id order). */
export function lockPayments(tx: Tx, orderIds: string[]): Promise<PaymentState[]> {
  return directSql(tx).$queryRawUnsafe<PaymentState[]>(
    `SELECT id, order_id AS "orderId", amount_krw AS "amountKrw", status FROM payment.payments
      WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE`,
    orderIds,
  );
}

/** The order's payment, locked until the transaction ends (undefined: none). */
export async function lockPayment(tx: Tx, orderId: string): Promise<PaymentState | undefined> {
  return (await lockPayments(tx, [orderId]))[0];
}

export async function savePaymentStatus(tx: Tx, p: PaymentState): Promise<void> {
  await tx.payment.update({ where: { orderId: p.orderId }, data: { status: p.status } });
}

/** Sets the status of several payments at once (a batch of voided authorizations). */
export async function setPaymentsStatus(tx: Tx, orderIds: string[], status: PaymentStatus): Promise<void> {
  await tx.payment.updateMany({ where: { orderId: { in: orderIds } }, data: { status } });
}

// ── The ledger: one line per movement of money, never changed but for a withdrawn rider fee.

export async function writeLedger(tx: Tx, lines: LedgerLine[]): Promise<void> {
  if (lines.length === 0) return;
  const rows = lines.map((l) => ({
    id: randomUUID(),
    kind: l.kind,
    orderId: l.orderId,
    amountKrw: l.amountKrw,
    reference: l.reference ?? null,
  }));
  await insertOrSkip(tx, table("ledger_entries"), rows);
}

// ── Rider fees, their withdrawals and settlements. Changed under the fee's row lock (lockRiderFee).

/** The order's rider fee, locked until the transaction ends (undefined: none). */
export async function lockRiderFee(tx: Tx, orderId: string): Promise<RiderFee | undefined> {
  const rows = await directSql(tx).$queryRawUnsafe<RiderFee[]>(
    `SELECT id, order_id AS "orderId", shop_id AS "shopId", fee_krw AS "feeKrw", status, attempt_id AS "attemptId"
       FROM payment.rider_fees WHERE order_id = $1::uuid FOR UPDATE`,
    orderId,
  );
  return rows[0];
}

export async function getRiderFee(tx: Tx, orderId: string): Promise<RiderFee> {
  const r = await tx.riderFee.findUniqueOrThrow({ where: { orderId } });
  return { ...r, status: r.status as RiderFee["status"] };
}

/** Inserts the fee unless the order has one; returns whether it did. */
export async function insertRiderFee(tx: Tx, fee: RiderFee): Promise<boolean> {
  const { id, orderId, shopId, feeKrw, status, attemptId } = fee;
  const rows = [{ id, orderId, shopId, feeKrw, status, attemptId }];
  return (await insertOrSkip(tx, table("rider_fees"), rows)).length === 1;
}

/** The fee now belongs to another attempt, maybe with another amount (its RIDER_FEE line follows). */
export async function reassignRiderFee(tx: Tx, fee: RiderFee): Promise<void> {
  await tx.riderFee.update({
    where: { orderId: fee.orderId },
    data: { feeKrw: fee.feeKrw, attemptId: fee.attemptId },
  });
  await tx.ledgerEntry.updateMany({
    where: { orderId: fee.orderId, kind: "RIDER_FEE" },
    data: { amountKrw: fee.feeKrw },
  });
}

export async function setRiderFeeStatus(tx: Tx, fee: RiderFeeState): Promise<void> {
  await tx.riderFee.update({ where: { orderId: fee.orderId }, data: { status: fee.status } });
}

/** The fee and its RIDER_FEE line go, as if never registered. */
export async function removeRiderFee(tx: Tx, orderId: string): Promise<void> {
  await tx.ledgerEntry.deleteMany({ where: { orderId, kind: "RIDER_FEE" } });
  await tx.riderFee.delete({ where: { orderId } });
}

export async function isAttemptWithdrawn(tx: Tx, attemptId: string): Promise<boolean> {
  return (await tx.riderFeeWithdrawal.findUnique({ where: { attemptId } })) !== null;
}

/** Remembers a withdrawn attempt (once), with the fee it gave back (null: none). */
export async function recordWithdrawal(
  tx: Tx,
  w: { attemptId: string; orderId: string; feeKrw: number | null },
): Promise<void> {
  await insertOrSkip(tx, table("rider_fee_withdrawals"), [
    { attemptId: w.attemptId, orderId: w.orderId, feeKrw: w.feeKrw },
  ]);
}

export function findSettlement(tx: Tx, orderId: string) {
  return tx.settlement.findUnique({ where: { orderId } });
}

/** The settlement of a delivery, and its fee SETTLED to that rider. */
export async function insertSettlement(
  tx: Tx,
  s: { id: string; orderId: string; riderCallId: string; riderId: string; feeKrw: number },
  fee: RiderFeeState,
): Promise<void> {
  await tx.settlement.create({ data: s });
  await tx.riderFee.update({
    where: { orderId: s.orderId },
    data: { status: fee.status, riderCallId: s.riderCallId, riderId: s.riderId, settledAt: new Date() },
  });
}

// ── Customer service's view.

/** An order's money: its payment and every ledger line, rider fee and settlement (null: no payment). */
export async function moneyOfOrder(db: PrismaClient, orderId: string) {
  const payment = await db.payment.findUnique({ where: { orderId } });
  if (!payment) return null;
  const [ledger, riderFee, settlement] = await Promise.all([
    db.ledgerEntry.findMany({ where: { orderId }, orderBy: { createdAt: "asc" } }),
    db.riderFee.findUnique({ where: { orderId } }),
    db.settlement.findUnique({ where: { orderId } }),
  ]);
  return { payment, ledger, riderFee, settlement };
}
