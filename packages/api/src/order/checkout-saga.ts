import { createHash } from "node:crypto";
import {
  paymentDeclineCodes,
  paymentNotChargedCodes,
  RemoteTimeoutError,
  RemoteUnavailableError,
  type PaymentRpc,
  type RpcClient,
} from "@baedal/events";
import { DomainError, serviceBusy } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { AttemptRepository, type AttemptState } from "./adapters/attempt-repository.js";
import { insertOrder } from "./adapters/order-repository.js";
import { isOpenAttempt, priceCheckout, type CheckoutRequest } from "./domain/checkout.js";
import { place, type OrderDraft } from "./domain/order.js";
import type { Prisma, PrismaClient } from "./generated/client.js";
import { InFlightCheckouts } from "./in-flight-checkouts.js";

type Tx = Prisma.TransactionClient;
export type OrderRuntime = ContextRuntime<PrismaClient, Tx>;

export interface PlaceOrderCommand extends CheckoutRequest {
  customerId: string;
  idempotencyKey: string;
  cardNumber: string;
}

const keyReused = () =>
  new DomainError("CONFLICT", "This checkout key was already used for a different order", "IDEMPOTENCY_KEY_REUSED");

const expired = () =>
  new DomainError("CONFLICT", "This checkout has expired; please place the order again", "CHECKOUT_EXPIRED");

/** Payment voids at most this many attempts per call after an outage (oldest first). */
const voidBatch = 200;

/**
 * Placing an order, as a list of steps:
 *   1. price the cart against order's replica of the catalog      — nothing written yet
 *   2. record the checkout attempt under the customer's key        — a retry finds it, never a second charge;
 *                                                                    only a new attempt spends the order budget
 *   3. authorize the card at payment (timeout + breaker)           — declined: attempt DECLINED, no order;
 *                                                                    never delivered: UNSENT (nothing to void);
 *                                                                    unknown: attempt UNKNOWN, reconciled below
 *   4. place the order and emit OrderPlaced in one transaction
 * Compensation of step 3, `reconcile`: an attempt left PENDING/UNKNOWN is voided at payment, in
 * batches, oldest first (or tombstoned so a late authorization cannot land), never kept without
 * an order; an UNSENT one is closed without asking payment.
 */
export class CheckoutSaga {
  private readonly attempts: AttemptRepository;
  private readonly inFlight: InFlightCheckouts;
  /** Checkouts running in this process, by customer, key and request. */
  private readonly running = new Map<string, Promise<{ orderId: string }>>();
  /** Until when the reconciler runs every tick: attempts were left open, or payment was away. */
  private busyUntil = 0;
  /** When the reconciler runs next otherwise (every 5 s; at once when payment is back). */
  private nextReconcileAt = 0;

  constructor(
    private readonly rt: OrderRuntime,
    private readonly payment: RpcClient<PaymentRpc>,
  ) {
    this.attempts = new AttemptRepository(rt.db);
    this.inFlight = new InFlightCheckouts(rt.config.ORDER_CHECKOUTS_IN_FLIGHT_PER_CUSTOMER);
    payment.onRecovered(() => (this.nextReconcileAt = 0));
  }

  /**
   * `spendBudget` counts a new attempt against the customer's order rate limit; a retry of an
   * attempt does not. Identical requests running at once in this process (a double click, a
   * client's retries) share one run, so they spend nothing twice and ask payment once.
   */
  placeOrder(cmd: PlaceOrderCommand, spendBudget: () => Promise<void>): Promise<{ orderId: string }> {
    const requestHash = hashRequest(cmd);
    const same = `${cmd.customerId}\n${cmd.idempotencyKey}\n${requestHash}`;
    const running = this.running.get(same);
    if (running) return running;
    const run = this.placeOnce(cmd, requestHash, spendBudget).finally(() => this.running.delete(same));
    this.running.set(same, run);
    return run;
  }

  private async placeOnce(cmd: PlaceOrderCommand, requestHash: string, spendBudget: () => Promise<void>) {
    // Step 2 first looks for an earlier attempt with the same key (a retry or a double click).
    // Most checkouts are first attempts, so step 1 prices the cart meanwhile instead of after;
    // a pricing error only counts when there is no earlier attempt to answer from.
    const [earlier, priced] = await Promise.all([
      this.attempts.find(cmd.customerId, cmd.idempotencyKey),
      this.price(cmd).then(
        (draft) => ({ draft }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (earlier) return this.retry(cmd, requestHash, earlier);
    if ("error" in priced) throw priced.error;
    // The breaker is open: the call would not leave this process. Record nothing, spend nothing.
    if (this.payment.refusingCalls) throw serviceBusy("payment");
    return this.inFlight.run(cmd.customerId, async () => {
      await spendBudget();
      const fresh = {
        id: crypto.randomUUID(),
        customerId: cmd.customerId,
        idempotencyKey: cmd.idempotencyKey,
        requestHash,
        draft: priced.draft,
      };
      const winner = await this.attempts.record(fresh);
      // Another replica recorded this key first: drive its attempt, as a retry would.
      if (winner) {
        if (winner.requestHash !== requestHash) throw keyReused();
        return this.redrive(cmd, winner);
      }
      return this.authorizeAndPlace(cmd, { ...fresh, status: "PENDING", declineCode: null, declineMessage: null });
    });
  }

  /** A request with a key that already has an attempt: its answer, or the attempt driven again. */
  private async retry(cmd: PlaceOrderCommand, requestHash: string, attempt: AttemptState) {
    if (attempt.requestHash !== requestHash) throw keyReused();
    if (!isOpenAttempt(attempt.status)) return answerFor(attempt);
    if (this.payment.refusingCalls) throw serviceBusy("payment");
    return this.inFlight.run(cmd.customerId, () => this.redrive(cmd, attempt));
  }

  /** Counts one more send of an open attempt, then steps 3 and 4 again (payment is idempotent by order id). */
  private async redrive(cmd: PlaceOrderCommand, attempt: AttemptState) {
    if (!(await this.attempts.claimSend(attempt.id))) {
      return answerFor((await this.attempts.find(cmd.customerId, cmd.idempotencyKey))!);
    }
    return this.authorizeAndPlace(cmd, attempt);
  }

  /** Steps 3 and 4 for an attempt whose send to payment is counted. */
  private async authorizeAndPlace(cmd: PlaceOrderCommand, attempt: AttemptState): Promise<{ orderId: string }> {
    const orderId = attempt.id;
    const draft = attempt.draft;
    let reply;
    try {
      reply = await this.payment.call("authorize", {
        orderId,
        customerId: cmd.customerId,
        amountKrw: draft.totalKrw,
        cardNumber: cmd.cardNumber,
      });
    } catch (err) {
      if (err instanceof RemoteUnavailableError && err.neverDelivered) await this.attempts.markUnsent(orderId);
      else if (err instanceof RemoteTimeoutError || err instanceof RemoteUnavailableError) await this.leftOpen(orderId);
      else throw err;
      throw serviceBusy("payment");
    }
    if (!reply.ok) {
      if (reply.code === "ATTEMPT_VOIDED") {
        await this.attempts.markVoided(orderId);
        throw expired();
      }
      if (isOneOf(paymentNotChargedCodes, reply.code)) {
        await this.attempts.markUnsent(orderId);
        throw serviceBusy("payment");
      }
      if (!isOneOf(paymentDeclineCodes, reply.code)) {
        // Not a decision about the card: treat like an unanswered call.
        await this.leftOpen(orderId);
        throw serviceBusy("payment");
      }
      await this.attempts.markDeclined(orderId, reply.code, reply.message);
      throw declined(reply.code, reply.message);
    }

    // Step 4.
    const placed = await this.rt.uow.run(async (tx) => {
      if (!(await this.attempts.markPlaced(tx, orderId))) return { result: false, events: [] };
      const at = new Date();
      const t = place(orderId, cmd.customerId, draft, at);
      await insertOrder(tx, t.order, draft, at);
      return { result: true, events: t.events };
    });
    if (placed || (await this.attempts.statusOf(orderId)) === "PLACED") return { orderId };
    throw expired(); // reconciled (voided) while we were asking payment
  }

  /** The outcome of a send is unknown: UNKNOWN, and the reconciler looks often for a while. */
  private async leftOpen(orderId: string) {
    await this.attempts.markUnknown(orderId);
    this.busyUntil = Date.now() + this.graceMs() + 5_000;
  }

  private async price(cmd: PlaceOrderCommand): Promise<OrderDraft> {
    const db = this.rt.db;
    const [shop, items] = await Promise.all([
      db.shopReplica.findUnique({ where: { shopId: cmd.shopId } }),
      db.menuItemReplica.findMany({ where: { menuItemId: { in: cmd.lines.map((l) => l.menuItemId) } } }),
    ]);
    return priceCheckout(cmd, shop, items);
  }

  /**
   * How long an open attempt is left to its customer's retry before it is voided: never less
   * than a send to payment can take, so an attempt still waiting for its answer is not voided.
   */
  private graceMs(): number {
    return Math.max(this.rt.config.PAYMENT_RECONCILE_AFTER_MS, this.payment.timeoutMs + 1_000);
  }

  /**
   * The reconciler's tick (every second): runs `reconcile` every 5 s when nothing is going on,
   * every tick while attempts were left open lately or payment was away, and at once when
   * payment answers again — so no card stays charged without an order for long after an outage.
   */
  async reconcileWhenDue(): Promise<number> {
    const now = Date.now();
    if (now < this.nextReconcileAt && now >= this.busyUntil) return 0;
    this.nextReconcileAt = now + 5_000;
    return this.reconcile();
  }

  /**
   * Compensation for step 3. UNSENT attempts idle past the grace period are closed without a
   * call. PENDING/UNKNOWN ones are claimed (VOIDING, committed) oldest first, then voided at
   * payment in batches; VOIDED once payment confirmed. Claimed attempts are re-driven until
   * payment answers. Returns how many attempts were closed or voided.
   */
  private async reconcile(): Promise<number> {
    const before = new Date(Date.now() - this.graceMs());
    let done = await this.attempts.closeUnsent(before);
    for (;;) {
      const claimed = await this.attempts.claimStale(before, voidBatch * 5);
      for (;;) {
        const ids = await this.attempts.voiding(voidBatch);
        if (ids.length === 0) break;
        const reply = await this.payment.call("voidAuthorizations", { orderIds: ids }).catch((err: unknown) => {
          if (!(err instanceof RemoteTimeoutError || err instanceof RemoteUnavailableError)) throw err;
          return null; // payment is away: try again every second until it answers
        });
        if (!reply) {
          this.busyUntil = Date.now() + 2_000;
          return done;
        }
        if (!reply.ok) throw new Error(`payment refused to void: ${reply.code} ${reply.message}`);
        done += await this.attempts.voided(ids);
        if (ids.length < voidBatch) break;
      }
      if (claimed < voidBatch * 5) return done;
    }
  }
}

const isOneOf = (codes: readonly string[], code: string) => codes.includes(code);

/** The answer a decided attempt gives to a retry of its checkout. */
function answerFor(a: AttemptState): { orderId: string } {
  if (a.status === "PLACED") return { orderId: a.id };
  if (a.status === "DECLINED") throw declined(a.declineCode, a.declineMessage);
  throw expired(); // VOIDING, VOIDED
}

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
