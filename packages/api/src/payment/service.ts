import { randomUUID } from "node:crypto";
import type { EventEnvelope, RpcCall, RpcReply } from "@baedal/events";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { SandboxGateway, type CardGateway } from "./adapters/gateway.js";
import { GatewayGuard } from "./adapters/gateway-guard.js";
import * as repo from "./adapters/repository.js";
import type { Tx } from "./adapters/repository.js";
import { noDecisionMessages } from "./domain/cards.js";
import * as money from "./domain/payment.js";
import type { PrismaClient } from "./generated/client.js";

export type PaymentRuntime = ContextRuntime<PrismaClient, Tx>;

const refuse = (code: string, message: string) => ({ ok: false as const, code, message });
const noDecision = (code: keyof typeof noDecisionMessages) => refuse(code, noDecisionMessages[code]);

/** Time kept back from the caller's deadline to answer it (reply, the caller's own work). */
const answerMarginMs = 300;
/** Less patience than this left: not worth asking the processor. */
const minGatewayMs = 100;

type AuthorizeInput = { orderId: string; customerId: string; amountKrw: number; cardNumber: string };

/** Payment's use cases. Every one is idempotent by the order id it is about. */
export class PaymentService {
  private readonly guard = new GatewayGuard();

  constructor(
    private readonly rt: PaymentRuntime,
    private readonly gatewayFor: (db: PrismaClient | Tx) => CardGateway = (db) =>
      new SandboxGateway(db, rt.config.SANDBOX_SLOW_MS),
  ) {}

  /** Customer service's view of an order's money: the payment and every ledger line. */
  async byOrder(orderId: string) {
    const found = await repo.moneyOfOrder(this.rt.db, orderId);
    if (!found) throw notFound("payment");
    return found;
  }

  /**
   * Charges the card for an order attempt, answering before the caller's deadline whatever the
   * card processor does: a processor that does not decide in time gets the attempt voided here
   * (a tombstone, and the key refunded at the processor so a late charge cannot stay).
   */
  async authorize(input: AuthorizeInput, call: RpcCall) {
    const db = this.rt.db;
    const existing = await repo.findPayment(db, input.orderId);
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

    const attempt = {
      id: randomUUID(),
      orderId: input.orderId,
      customerId: input.customerId,
      amountKrw: input.amountKrw,
    };
    const t = money.authorize({ ...attempt, cardNumber: input.cardNumber }, charge.result.reference);
    const inserted = await this.rt.uow.run(async (tx) => {
      const fresh = await repo.insertPayment(tx, t.state);
      if (fresh) await repo.writeLedger(tx, t.ledger);
      return { result: fresh, events: fresh ? t.events : [] };
    });
    if (inserted) return this.answerFor(t.state);

    // Someone else wrote the row first: a concurrent duplicate (fine) or a void (give the money back).
    const now = await repo.getPayment(db, input.orderId);
    if (now.status !== "AUTHORIZED") await gateway.refund([input.orderId]);
    return this.answerFor(now);
  }

  private answerFor(p: { id: string; status: string; amountKrw: number }): RpcReply<{
    paymentId: string;
    status: "AUTHORIZED";
    amountKrw: number;
  }> {
    if (p.status === "AUTHORIZED")
      return { ok: true, data: { paymentId: p.id, status: "AUTHORIZED", amountKrw: p.amountKrw } };
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
      await repo.tombstoneAttempts(tx, ids);
      const rows = await repo.lockPayments(tx, ids);
      const voided = rows.filter((p) => p.status === "AUTHORIZED").map((p) => money.voidAuthorization(p));
      if (voided.length > 0) {
        await repo.setPaymentsStatus(
          tx,
          voided.map((t) => t.state.orderId),
          "VOIDED",
        );
        await repo.writeLedger(
          tx,
          voided.flatMap((t) => t.ledger),
        );
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
    const p = await repo.findPayment(tx, orderId);
    if (p?.status === "AUTHORIZED") {
      const locked = await repo.lockPayment(tx, orderId);
      if (!locked) throw new DomainError("CONFLICT", `payment for ${orderId} vanished`, "PAYMENT_VANISHED");
      if (locked.status === "AUTHORIZED") {
        const t = money.refund(locked, causationId);
        await repo.savePaymentStatus(tx, t.state);
        await repo.writeLedger(tx, t.ledger);
        await this.gatewayFor(tx).refund([orderId]);
        events.push(...t.events);
      }
    }
    // Decided under the fee's row lock: a settlement committing meanwhile must not be
    // overwritten by a CANCELLED computed from what we read before it.
    const fee = await repo.lockRiderFee(tx, orderId);
    const cancelled = fee && money.cancelRiderFee(fee);
    if (cancelled) {
      await repo.setRiderFeeStatus(tx, cancelled.state);
      await repo.writeLedger(tx, cancelled.ledger);
    }
    return events;
  }

  async registerRiderFee(input: { orderId: string; shopId: string; feeKrw: number; attemptId?: string }) {
    const attemptId = input.attemptId ?? null;
    return this.rt.uow.run<RpcReply<{ riderFeeId: string }>>(async (tx) => {
      // Under the payment's row lock, like the refund of a cancelled order: either the
      // cancellation sees (and cancels) this fee, or this sees the payment refunded. The lock
      // also orders this against a withdrawal of the same order's fee.
      const p = await repo.lockPayment(tx, input.orderId);
      if (!p || p.status !== "AUTHORIZED") {
        return {
          result: refuse(
            "ORDER_NOT_PAYABLE",
            "This order is cancelled or unpaid; no rider fee can be registered",
          ),
          events: [],
        };
      }
      // The store gave this attempt up already (it took too long): its fee must not appear now.
      if (attemptId && (await repo.isAttemptWithdrawn(tx, attemptId))) {
        return {
          result: refuse("RIDER_CALL_WITHDRAWN", "This rider call was given up; please call the rider again"),
          events: [],
        };
      }
      const t = money.registerRiderFee({
        id: randomUUID(),
        orderId: input.orderId,
        shopId: input.shopId,
        feeKrw: input.feeKrw,
        attemptId,
      });
      if (await repo.insertRiderFee(tx, t.state)) {
        await repo.writeLedger(tx, t.ledger);
        return { result: { ok: true as const, data: { riderFeeId: t.state.id } }, events: t.events };
      }
      // Registered before: the shop asks again (see reregisterRiderFee).
      const fee = await repo.getRiderFee(tx, input.orderId);
      const moved = money.reregisterRiderFee(fee, input.feeKrw, attemptId);
      if (moved) await repo.reassignRiderFee(tx, moved);
      return { result: { ok: true as const, data: { riderFeeId: fee.id } }, events: [] };
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
      await repo.lockPayment(tx, input.orderId); // ordered against registerRiderFee
      const fee = await repo.lockRiderFee(tx, input.orderId);
      const withdrawable = !!fee && money.isWithdrawable(fee, input.attemptId);
      await repo.recordWithdrawal(tx, {
        attemptId: input.attemptId,
        orderId: input.orderId,
        feeKrw: withdrawable ? fee.feeKrw : null,
      });
      if (!withdrawable) return { result: { ok: true as const, data: { withdrawn: false } }, events: [] };
      await repo.removeRiderFee(tx, input.orderId);
      return {
        result: { ok: true as const, data: { withdrawn: true } },
        events: money.riderFeeWithdrawn(fee),
      };
    });
  }

  async settleRiderFee(input: { orderId: string; riderCallId: string; riderId: string; feeKrw: number }) {
    return this.rt.uow.run<RpcReply<{ settlementId: string }>>(async (tx) => {
      // Decided under the fee's row lock, so a concurrent settle has committed or not started. A
      // settled fee is never withdrawn, so an order without a fee has no settlement either.
      const fee = await repo.lockRiderFee(tx, input.orderId);
      if (!fee)
        return {
          result: refuse("FEE_NOT_REGISTERED", "No rider fee was registered for this order"),
          events: [],
        };
      const done = await repo.findSettlement(tx, input.orderId);
      if (done) return { result: { ok: true as const, data: { settlementId: done.id } }, events: [] };
      // Only delivery asks, and only for a completed delivery: a fee its order's late
      // cancellation cancelled is settled all the same (see domain settleRiderFee).
      if (fee.status === "SETTLED") {
        return {
          result: refuse("FEE_NOT_SETTLEABLE", `The rider fee is ${fee.status.toLowerCase()}`),
          events: [],
        };
      }
      const settlementId = randomUUID();
      const t = money.settleRiderFee(fee, settlementId, input.riderCallId, input.riderId);
      await repo.insertSettlement(
        tx,
        {
          id: settlementId,
          orderId: input.orderId,
          riderCallId: input.riderCallId,
          riderId: input.riderId,
          feeKrw: fee.feeKrw,
        },
        t.state,
      );
      await repo.writeLedger(tx, t.ledger);
      return { result: { ok: true as const, data: { settlementId } }, events: t.events };
    });
  }
}
