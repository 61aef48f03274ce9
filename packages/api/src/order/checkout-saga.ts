import { createHash } from "node:crypto";
import {
  paymentDeclineCodes,
  RemoteTimeoutError,
  RemoteUnavailableError,
  type PaymentRpc,
  type RpcClient,
} from "@baedal/events";
import { DomainError, serviceBusy } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { insertOrder } from "./adapters/order-repository.js";
import { priceCheckout, type CheckoutRequest } from "./domain/checkout.js";
import { place, type OrderDraft } from "./domain/order.js";
import type { CheckoutAttempt, Prisma, PrismaClient } from "./generated/client.js";

type Tx = Prisma.TransactionClient;
export type OrderRuntime = ContextRuntime<PrismaClient, Tx>;

export interface PlaceOrderCommand extends CheckoutRequest {
  customerId: string;
  idempotencyKey: string;
  cardNumber: string;
}

type AttemptState = Pick<CheckoutAttempt, "id" | "requestHash" | "status" | "declineCode" | "declineMessage"> & {
  draft: unknown;
};

const expired = () =>
  new DomainError("CONFLICT", "This checkout has expired; please place the order again", "CHECKOUT_EXPIRED");

/**
 * Placing an order, as a list of steps:
 *   1. price the cart against order's replica of the catalog      — nothing written yet
 *   2. record the checkout attempt under the customer's key        — a retry finds it, never a second charge
 *   3. authorize the card at payment (timeout + breaker)           — declined: attempt DECLINED, no order;
 *                                                                    unknown: attempt UNKNOWN, reconciled below
 *   4. place the order and emit OrderPlaced in one transaction
 * Compensation: an attempt left PENDING/UNKNOWN is reconciled by `reconcileStaleAttempts` — its
 * authorization is voided (or a tombstone left so a late one cannot land), never kept without an order.
 */
export class CheckoutSaga {
  constructor(
    private readonly rt: OrderRuntime,
    private readonly payment: RpcClient<PaymentRpc>,
  ) {}

  async placeOrder(cmd: PlaceOrderCommand): Promise<{ orderId: string }> {
    const db = this.rt.db;
    const requestHash = hashRequest(cmd);

    // Step 2 first looks for an earlier attempt with the same key (a retry or a double click).
    // Most checkouts are first attempts, so step 1 prices the cart meanwhile instead of after;
    // a pricing error only counts when there is no earlier attempt to answer from.
    const byKey = { customerId_idempotencyKey: { customerId: cmd.customerId, idempotencyKey: cmd.idempotencyKey } };
    const [earlier, priced] = await Promise.all([
      db.checkoutAttempt.findUnique({ where: byKey }),
      this.price(cmd).then(
        (draft) => ({ draft }),
        (error: unknown) => ({ error }),
      ),
    ]);
    let attempt: AttemptState | null = earlier;
    if (!attempt) {
      if ("error" in priced) throw priced.error;
      attempt = await this.recordAttempt(cmd, requestHash, priced.draft);
    }
    if (attempt.requestHash !== requestHash) {
      throw new DomainError("CONFLICT", "This checkout key was already used for a different order", "IDEMPOTENCY_KEY_REUSED");
    }
    switch (attempt.status) {
      case "PLACED":
        return { orderId: attempt.id };
      case "DECLINED":
        throw declined(attempt.declineCode, attempt.declineMessage);
      case "VOIDED":
      case "VOIDING":
        throw expired();
    }

    // Step 3: PENDING or UNKNOWN — (re)drive the authorization; payment is idempotent by order id.
    const orderId = attempt.id;
    const draft = attempt.draft as unknown as OrderDraft;
    let reply;
    try {
      reply = await this.payment.call("authorize", {
        orderId,
        customerId: cmd.customerId,
        amountKrw: draft.totalKrw,
        cardNumber: cmd.cardNumber,
      });
    } catch (err) {
      if (err instanceof RemoteTimeoutError || err instanceof RemoteUnavailableError) {
        await this.setAttempt(orderId, "UNKNOWN");
        throw serviceBusy("payment");
      }
      throw err;
    }
    if (!reply.ok) {
      if (reply.code === "ATTEMPT_VOIDED") {
        await this.setAttempt(orderId, "VOIDED");
        throw expired();
      }
      if (!(paymentDeclineCodes as readonly string[]).includes(reply.code)) {
        // Not a decision about the card: treat like an unanswered call.
        await this.setAttempt(orderId, "UNKNOWN");
        throw serviceBusy("payment");
      }
      await this.setAttempt(orderId, "DECLINED", reply.code, reply.message);
      throw declined(reply.code, reply.message);
    }

    // Step 4.
    const placed = await this.rt.uow.run(async (tx) => {
      const { count } = await tx.checkoutAttempt.updateMany({
        where: { id: orderId, status: { in: ["PENDING", "UNKNOWN"] } },
        data: { status: "PLACED", updatedAt: new Date() },
      });
      if (count === 0) return { result: false, events: [] };
      const at = new Date();
      const t = place(orderId, cmd.customerId, draft, at);
      await insertOrder(tx, t.order, draft, at);
      return { result: true, events: t.events };
    });
    if (placed) return { orderId };
    const now = await db.checkoutAttempt.findUniqueOrThrow({ where: { id: orderId } });
    if (now.status === "PLACED") return { orderId };
    throw expired(); // reconciled (voided) while we were asking payment
  }

  /** Step 2: the attempt, PENDING under the customer's key; of concurrent ones with one key, the first wins. */
  private async recordAttempt(cmd: PlaceOrderCommand, requestHash: string, draft: OrderDraft): Promise<AttemptState> {
    const fresh = {
      id: crypto.randomUUID(),
      customerId: cmd.customerId,
      idempotencyKey: cmd.idempotencyKey,
      requestHash,
      status: "PENDING",
      draft: draft as unknown as Prisma.InputJsonValue,
    };
    const db = this.rt.db;
    try {
      // `create`, not `createMany … skipDuplicates`: Prisma caches a create's query plan but
      // compiles a createMany on every call. Inserted: the row is what we wrote, no read back.
      await db.checkoutAttempt.create({ data: fresh, select: { id: true } });
      return { ...fresh, draft, declineCode: null, declineMessage: null };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return db.checkoutAttempt.findUniqueOrThrow({
        where: { customerId_idempotencyKey: { customerId: cmd.customerId, idempotencyKey: cmd.idempotencyKey } },
      });
    }
  }

  private async price(cmd: PlaceOrderCommand): Promise<OrderDraft> {
    const db = this.rt.db;
    const [shop, items] = await Promise.all([
      db.shopReplica.findUnique({ where: { shopId: cmd.shopId } }),
      db.menuItemReplica.findMany({ where: { menuItemId: { in: cmd.lines.map((l) => l.menuItemId) } } }),
    ]);
    return priceCheckout(cmd, shop, items);
  }

  private async setAttempt(id: string, status: "UNKNOWN" | "DECLINED" | "VOIDED", code?: string, message?: string) {
    await this.rt.db.checkoutAttempt.updateMany({
      where: { id, status: { in: ["PENDING", "UNKNOWN"] } },
      data: { status, declineCode: code, declineMessage: message, updatedAt: new Date() },
    });
  }

  /**
   * Compensation for step 3 when its outcome stayed unknown: after a grace period, void the
   * authorization of every attempt that never became an order. First the attempt is claimed
   * (VOIDING, committed) — from then on no retry of the checkout can place it, whatever happens
   * to this process — and only then is payment asked to void; VOIDED once payment confirmed.
   * (Holding a row lock across the call instead is not enough: when that transaction is lost
   * after payment voided — a dropped connection, a crash — a waiting checkout places the order
   * on a voided payment.) Claimed attempts are re-driven until payment answers.
   */
  async reconcileStaleAttempts(olderThanMs: number): Promise<number> {
    const db = this.rt.db;
    const stale = await db.checkoutAttempt.findMany({
      where: { status: { in: ["PENDING", "UNKNOWN"] }, updatedAt: { lt: new Date(Date.now() - olderThanMs) } },
      select: { id: true },
      take: 50,
    });
    for (const { id } of stale) {
      // Conditional: a checkout placing this attempt meanwhile wins, and then it is left alone.
      await db.checkoutAttempt.updateMany({
        where: { id, status: { in: ["PENDING", "UNKNOWN"] } },
        data: { status: "VOIDING", updatedAt: new Date() },
      });
    }
    const claimed = await db.checkoutAttempt.findMany({
      where: { status: "VOIDING" },
      select: { id: true },
      take: 50,
    });
    let voided = 0;
    for (const { id } of claimed) {
      const reply = await this.payment.call("voidAuthorization", { orderId: id });
      if (!reply.ok) continue;
      const { count } = await db.checkoutAttempt.updateMany({
        where: { id, status: "VOIDING" },
        data: { status: "VOIDED", updatedAt: new Date() },
      });
      voided += count;
    }
    return voided;
  }
}

/** Prisma's "unique constraint failed" (P2002): here, a concurrent checkout with the same key won. */
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === "P2002";

function declined(code: string | null, message: string | null) {
  return new DomainError("PAYMENT_REQUIRED", message ?? "Your card was declined", code ?? "CARD_DECLINED");
}

/** Same key, same request: anything else under a used key is refused. The card number is not part of it. */
function hashRequest(cmd: PlaceOrderCommand): string {
  const canonical = JSON.stringify({
    shopId: cmd.shopId,
    lines: [...cmd.lines].sort((a, b) => a.menuItemId.localeCompare(b.menuItemId)),
    deliveryAddress: cmd.deliveryAddress,
    phone: cmd.phone,
    note: cmd.note,
  });
  return createHash("sha256").update(canonical).digest("hex");
}
