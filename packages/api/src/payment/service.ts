import { randomUUID } from "node:crypto";
import { createEvent, PaymentEvents, type EventEnvelope, type RpcCall, type RpcReply } from "@baedal/events";
import type { ContextRuntime } from "../platform/runtime.js";
import type { Prisma, PrismaClient } from "./generated/client.js";
import { SandboxGateway, type CardGateway } from "./adapters/gateway.js";
import { GatewayGuard } from "./adapters/gateway-guard.js";
import { noDecisionMessages } from "./domain/cards.js";
import {
  authorize,
  cancelRiderFee,
  isWithdrawable,
  refund,
  settleRiderFee,
  voidAuthorization,
  type LedgerLine,
  type PaymentState,
  type RiderFeeState,
} from "./domain/payment.js";

export type Tx = Prisma.TransactionClient;
export type PaymentRuntime = ContextRuntime<PrismaClient, Tx>;

const refuse = (code: string, message: string) => ({ ok: false as const, code, message });
const noDecision = (code: keyof typeof noDecisionMessages) => refuse(code, noDecisionMessages[code]);

/** Time kept back from the caller's deadline to answer it (reply, the caller's own work). */
const answerMarginMs = 300;
/** Less patience than this left: not worth asking the processor. */
const minGatewayMs = 100;

type AuthorizeInput = { orderId: string; customerId: string; amountKrw: number; cardNumber: string };

async function writeLedger(tx: Tx, lines: LedgerLine[]) {
  if (lines.length === 0) return;
  await tx.ledgerEntry.createMany({
    data: lines.map((l) => ({ id: randomUUID(), ...l })),
    skipDuplicates: true,
  });
}

const toState = (p: { id: string; orderId: string; amountKrw: number; status: string }): PaymentState => ({
  id: p.id,
  orderId: p.orderId,
  amountKrw: p.amountKrw,
  status: p.status as PaymentState["status"],
});

/** Payment's use cases. Every one is idempotent by the order id it is about. */
export class PaymentService {
  private readonly guard = new GatewayGuard();

  constructor(
    private readonly rt: PaymentRuntime,
    private readonly gatewayFor: (db: PrismaClient | Tx) => CardGateway = (db) =>
      new SandboxGateway(db, rt.config.SANDBOX_SLOW_MS),
  ) {}

  /**
   * Charges the card for an order attempt, answering before the caller's deadline whatever the
   * card processor does: a processor that does not decide in time gets the attempt voided here
   * (a tombstone, and the key refunded at the processor so a late charge cannot stay).
   */
  async authorize(input: AuthorizeInput, call: RpcCall) {
    const db = this.rt.db;
    const existing = await db.payment.findUnique({ where: { orderId: input.orderId } });
    if (existing) return this.answerFor(existing);

    const patienceMs = call.deadline - Date.now() - answerMarginMs;
    if (patienceMs < minGatewayMs) return noDecision("PAYMENT_OVERLOADED"); // queued too long here
    const gateway = this.gatewayFor(db);
    const charge = await this.guard.charge(
      gateway,
      { key: input.orderId, amountKrw: input.amountKrw, cardNumber: input.cardNumber },
      Math.min(patienceMs, this.rt.config.PAYMENT_GATEWAY_TIMEOUT_MS),
    );
    if (charge.kind === "unavailable") return noDecision("GATEWAY_UNAVAILABLE");
    if (charge.kind === "timed-out") {
      await this.voidAttempts([input.orderId]);
      return noDecision("ISSUER_TIMEOUT");
    }
    if (!charge.result.approved) return refuse(charge.result.code, charge.result.message);
    const { reference } = charge.result;

    const t = authorize({ id: randomUUID(), orderId: input.orderId, amountKrw: input.amountKrw });
    const inserted = await this.rt.uow.run(async (tx) => {
      const { count } = await tx.payment.createMany({
        data: [
          {
            id: t.state.id,
            orderId: input.orderId,
            customerId: input.customerId,
            amountKrw: input.amountKrw,
            status: t.state.status,
            cardLast4: input.cardNumber.slice(-4),
            gatewayRef: reference,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 1) await writeLedger(tx, t.ledger);
      return { result: count === 1, events: t.events };
    });
    if (inserted) return this.answerFor(t.state);

    // Someone else wrote the row first: a concurrent duplicate (fine) or a void (give the money back).
    const now = await db.payment.findUniqueOrThrow({ where: { orderId: input.orderId } });
    if (now.status !== "AUTHORIZED") await gateway.refund([input.orderId]);
    return this.answerFor(now);
  }

  private answerFor(p: { id: string; status: string; amountKrw: number }): RpcReply<{
    paymentId: string;
    status: "AUTHORIZED";
    amountKrw: number;
  }> {
    if (p.status === "AUTHORIZED") return { ok: true, data: { paymentId: p.id, status: "AUTHORIZED", amountKrw: p.amountKrw } };
    return refuse("ATTEMPT_VOIDED", "This checkout has expired; please place the order again");
  }

  /** Voids the authorizations of attempts that never became orders (see `voidAttempts`). */
  async voidAuthorizations(orderIds: string[]) {
    const results = await this.voidAttempts(orderIds);
    return { ok: true as const, data: { results } };
  }

  /**
   * In one transaction, whatever the number: every attempt gets a payment row (a VOIDED
   * tombstone where none existed, so that a late authorize cannot charge), the authorized ones
   * are voided with their ledger lines, and the processor refunds every key not already refunded
   * (it may have charged before a crash kept the payment from being recorded).
   */
  private async voidAttempts(orderIds: string[]) {
    const ids = [...new Set(orderIds)].sort(); // one lock order for concurrent batches
    return this.rt.uow.run(async (tx) => {
      await tx.payment.createMany({
        data: ids.map((orderId) => ({ id: randomUUID(), orderId, amountKrw: 0, status: "VOIDED" })),
        skipDuplicates: true,
      });
      const rows = await lockPayments(tx, ids);
      const voided = rows.filter((p) => p.status === "AUTHORIZED").map((p) => voidAuthorization(toState(p)));
      if (voided.length > 0) {
        await tx.payment.updateMany({
          where: { orderId: { in: voided.map((t) => t.state.orderId) } },
          data: { status: "VOIDED" },
        });
        await writeLedger(tx, voided.flatMap((t) => t.ledger));
      }
      await this.gatewayFor(tx).refund(rows.filter((p) => p.status !== "REFUNDED").map((p) => p.orderId));
      const results = rows.map((p) => ({
        orderId: p.orderId,
        status: p.status === "REFUNDED" ? ("REFUNDED" as const) : ("VOIDED" as const),
      }));
      return { result: results, events: voided.flatMap((t) => t.events) };
    });
  }

  /** On a cancelled order: refund the charge once and cancel an unsettled rider fee. */
  async onOrderCancelled(tx: Tx, orderId: string, causationId: string): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    const p = await tx.payment.findUnique({ where: { orderId } });
    if (p?.status === "AUTHORIZED") {
      const locked = await lockPayment(tx, orderId);
      if (locked.status === "AUTHORIZED") {
        const t = refund(toState(locked), causationId);
        await tx.payment.update({ where: { orderId }, data: { status: t.state.status } });
        await writeLedger(tx, t.ledger);
        await this.gatewayFor(tx).refund([orderId]);
        events.push(...t.events);
      }
    }
    // Decided under the fee's row lock: a settlement committing meanwhile must not be
    // overwritten by a CANCELLED computed from what we read before it.
    const fee = await lockRiderFee(tx, orderId);
    const cancelled = fee && cancelRiderFee(fee);
    if (cancelled) {
      await tx.riderFee.update({ where: { orderId }, data: { status: cancelled.state.status } });
      await writeLedger(tx, cancelled.ledger);
    }
    return events;
  }

  async registerRiderFee(input: { orderId: string; shopId: string; feeKrw: number; attemptId?: string }) {
    const attemptId = input.attemptId ?? null;
    return this.rt.uow.run<RpcReply<{ riderFeeId: string }>>(async (tx) => {
      // Under the payment's row lock, like the refund of a cancelled order: either the
      // cancellation sees (and cancels) this fee, or this sees the payment refunded. The lock
      // also orders this against a withdrawal of the same order's fee.
      const p = await findPaymentForUpdate(tx, input.orderId);
      if (!p || p.status !== "AUTHORIZED") {
        return { result: refuse("ORDER_NOT_PAYABLE", "This order is cancelled or unpaid; no rider fee can be registered"), events: [] };
      }
      // The store gave this attempt up already (it took too long): its fee must not appear now.
      if (attemptId && (await tx.riderFeeWithdrawal.findUnique({ where: { attemptId } }))) {
        return { result: refuse("RIDER_CALL_WITHDRAWN", "This rider call was given up; please call the rider again"), events: [] };
      }
      const id = randomUUID();
      const { count } = await tx.riderFee.createMany({
        data: [{ id, orderId: input.orderId, shopId: input.shopId, feeKrw: input.feeKrw, status: "REGISTERED", attemptId }],
        skipDuplicates: true,
      });
      const fee = await tx.riderFee.findUniqueOrThrow({ where: { orderId: input.orderId } });
      if (count === 0) {
        // The shop asks again (its first call got "payment is busy"), maybe with another fee:
        // the call is recorded with this request's fee, so the registration follows it while
        // nothing was settled yet. Otherwise the rider would be shown one fee and paid another.
        // It now belongs to this attempt: a withdrawal of the earlier one leaves it alone.
        if (fee.status === "REGISTERED" && (fee.feeKrw !== input.feeKrw || fee.attemptId !== attemptId)) {
          await tx.riderFee.update({ where: { orderId: input.orderId }, data: { feeKrw: input.feeKrw, attemptId } });
          await tx.ledgerEntry.updateMany({
            where: { orderId: input.orderId, kind: "RIDER_FEE" },
            data: { amountKrw: input.feeKrw },
          });
        }
        return { result: { ok: true as const, data: { riderFeeId: fee.id } }, events: [] };
      }
      await writeLedger(tx, [{ kind: "RIDER_FEE", orderId: input.orderId, amountKrw: input.feeKrw }]);
      return {
        result: { ok: true as const, data: { riderFeeId: id } },
        events: [createEvent(PaymentEvents.RiderFeeRegistered, input)],
      };
    });
  }

  /**
   * The store did not record the rider call of `attemptId`: the fee that attempt registered is
   * undone (row and RIDER_FEE ledger line, as if never registered — a later call registers
   * afresh), and the attempt is remembered so that its registration, should it still be on its
   * way, is refused. Idempotent; a fee another attempt now owns, or one already cancelled or
   * settled, is left alone.
   */
  async withdrawRiderFee(input: { orderId: string; attemptId: string }) {
    return this.rt.uow.run<RpcReply<{ withdrawn: boolean }>>(async (tx) => {
      await findPaymentForUpdate(tx, input.orderId); // ordered against registerRiderFee
      const fee = await lockRiderFee(tx, input.orderId);
      const withdrawable = !!fee && isWithdrawable(fee, input.attemptId);
      await tx.riderFeeWithdrawal.createMany({
        data: [{ attemptId: input.attemptId, orderId: input.orderId, feeKrw: withdrawable ? fee.feeKrw : null }],
        skipDuplicates: true,
      });
      if (!withdrawable) return { result: { ok: true as const, data: { withdrawn: false } }, events: [] };
      await tx.ledgerEntry.deleteMany({ where: { orderId: input.orderId, kind: "RIDER_FEE" } });
      await tx.riderFee.delete({ where: { orderId: input.orderId } });
      return {
        result: { ok: true as const, data: { withdrawn: true } },
        events: [createEvent(PaymentEvents.RiderFeeWithdrawn, { orderId: fee.orderId, shopId: fee.shopId, feeKrw: fee.feeKrw })],
      };
    });
  }

  async settleRiderFee(input: { orderId: string; riderCallId: string; riderId: string; feeKrw: number }) {
    return this.rt.uow.run<RpcReply<{ settlementId: string }>>(async (tx) => {
      const done = await tx.settlement.findUnique({ where: { orderId: input.orderId } });
      if (done) return { result: { ok: true as const, data: { settlementId: done.id } }, events: [] };
      const fee = await lockRiderFee(tx, input.orderId);
      if (!fee) return { result: refuse("FEE_NOT_REGISTERED", "No rider fee was registered for this order"), events: [] };
      // Re-check under the lock: a concurrent settle may have committed meanwhile.
      const again = await tx.settlement.findUnique({ where: { orderId: input.orderId } });
      if (again) return { result: { ok: true as const, data: { settlementId: again.id } }, events: [] };
      // Only delivery asks, and only for a completed delivery: a fee its order's late
      // cancellation cancelled is settled all the same (see domain settleRiderFee).
      if (fee.status === "SETTLED") {
        return { result: refuse("FEE_NOT_SETTLEABLE", `The rider fee is ${fee.status.toLowerCase()}`), events: [] };
      }
      const settlementId = randomUUID();
      const t = settleRiderFee(fee, settlementId, input.riderCallId, input.riderId);
      await tx.settlement.create({
        data: { id: settlementId, orderId: input.orderId, riderCallId: input.riderCallId, riderId: input.riderId, feeKrw: fee.feeKrw },
      });
      await tx.riderFee.update({
        where: { orderId: input.orderId },
        data: { status: t.state.status, riderCallId: input.riderCallId, riderId: input.riderId, settledAt: new Date() },
      });
      await writeLedger(tx, t.ledger);
      return { result: { ok: true as const, data: { settlementId } }, events: t.events };
    });
  }
}

async function lockRiderFee(tx: Tx, orderId: string): Promise<(RiderFeeState & { attemptId: string | null }) | undefined> {
  const rows = await tx.$queryRawUnsafe<(RiderFeeState & { attemptId: string | null })[]>(
    `SELECT id, order_id AS "orderId", shop_id AS "shopId", fee_krw AS "feeKrw", status, attempt_id AS "attemptId"
       FROM payment.rider_fees WHERE order_id = $1::uuid FOR UPDATE`,
    orderId,
  );
  return rows[0];
}

async function findPaymentForUpdate(tx: Tx, orderId: string) {
  return (await lockPayments(tx, [orderId]))[0];
}

/** Payment rows of many orders, locked until the transaction ends (in order-id order). */
async function lockPayments(tx: Tx, orderIds: string[]) {
  return tx.$queryRawUnsafe<{ id: string; orderId: string; amountKrw: number; status: string }[]>(
    `SELECT id, order_id AS "orderId", amount_krw AS "amountKrw", status FROM payment.payments
      WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE`,
    orderIds,
  );
}

async function lockPayment(tx: Tx, orderId: string) {
  const p = await findPaymentForUpdate(tx, orderId);
  if (!p) throw new Error(`payment for ${orderId} vanished`);
  return p;
}
