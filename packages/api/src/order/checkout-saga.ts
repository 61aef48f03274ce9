import {
  paymentDeclineCodes,
  paymentNotChargedCodes,
  RemoteTimeoutError,
  RemoteUnavailableError,
  type PaymentClient,
} from "@baedal/events";
import { DomainError, serviceBusy } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { runSaga, done, type SagaDefinition } from "../platform/saga.js";
import { AttemptRepository, type AttemptState } from "./adapters/attempt-repository.js";
import { catalogFor } from "./adapters/catalog-replica.js";
import { insertOrder } from "./adapters/repository.js";
import {
  answerFor,
  cardDeclined,
  checkoutExpired,
  checkoutKeyReused,
  hashCheckout,
  isOpenAttempt,
  priceCheckout,
  type CheckoutRequest,
} from "./domain/checkout.js";
import { place, type OrderDraft } from "./domain/order.js";
import type { Prisma, PrismaClient } from "./generated/client.js";
import { InFlightCheckouts } from "./limits.js";

type Tx = Prisma.TransactionClient;
export type OrderRuntime = ContextRuntime<PrismaClient, Tx>;

export interface PlaceOrderCommand extends CheckoutRequest {
  customerId: string;
  idempotencyKey: string;
  cardNumber: string;
}

/** One checkout as the saga drives it. */
interface Checkout {
  cmd: PlaceOrderCommand;
  requestHash: string;
  /** Counts a new attempt against the customer's order rate limit (a retry spends nothing). */
  spendBudget: () => Promise<void>;
  /** A new checkout: its priced cart, no attempt yet. */
  draft?: OrderDraft;
  /** The attempt being driven: recorded by step 1, or found by a retry. */
  attempt?: AttemptState;
  /** Set by step 2 when payment did not authorize, before it throws `answer` to the customer. */
  authorizationFailed?: AuthorizationFailure;
}

/** What a failed authorization leaves its attempt as, and what the customer is told. */
interface AuthorizationFailure {
  attemptIs: "UNSENT" | "UNKNOWN" | "DECLINED" | "VOIDED";
  answer: DomainError;
}

/** Payment voids at most this many attempts per call after an outage (oldest first). */
const voidBatch = 200;

/**
 * Placing an order. Before the steps, the cart is priced against order's replica of the catalog
 * while an earlier attempt under the customer's key is looked for (a retry, a double click):
 * a decided one answers at once, an open one is driven again from step 1.
 *
 *   1. record the attempt under the customer's key   ⟲ close it as payment's answer says
 *   2. authorize the card at payment                 ⟲ voided later by `reconcile`, in batches
 *   3. place the order and emit OrderPlaced
 *
 * The steps run only while payment's breaker lets calls through (else nothing is recorded and
 * nothing spent) and within the customer's cap of checkouts waiting on payment at once. A retry
 * finds its attempt and never charges twice; only a new attempt spends the order budget.
 */
export class CheckoutSaga {
  private readonly attempts: AttemptRepository;
  private readonly inFlight: InFlightCheckouts;
  private readonly saga: SagaDefinition<Checkout, { orderId: string }>;
  /** Checkouts running in this process, by customer, key and request. */
  private readonly running = new Map<string, Promise<{ orderId: string }>>();
  /** Until when the reconciler runs every tick: attempts were left open, or payment was away. */
  private busyUntil = 0;
  /** When the reconciler runs next otherwise (every 5 s; at once when payment is back). */
  private nextReconcileAt = 0;

  constructor(
    private readonly rt: OrderRuntime,
    private readonly payment: PaymentClient,
  ) {
    this.attempts = new AttemptRepository(rt.db);
    this.inFlight = new InFlightCheckouts(rt.config.ORDER_CHECKOUTS_IN_FLIGHT_PER_CUSTOMER);
    payment.onRecovered(() => (this.nextReconcileAt = 0));
    this.saga = {
      steps: [
        {
          name: "record the attempt under the customer's key",
          invoke: (c) => this.recordAttempt(c),
          compensate: (c) => this.closeAttempt(c.attempt!, c.authorizationFailed),
        },
        {
          name: "authorize the card at payment",
          invoke: (c) => this.authorize(c),
          compensatedLater:
            "reconcile: an attempt still open after its grace period is claimed (VOIDING) and voided at payment in batches",
        },
        {
          name: "place the order and emit OrderPlaced",
          invoke: (c) => this.placeTheOrder(c.cmd, c.attempt!),
        },
      ],
      result: (c) => ({ orderId: c.attempt!.id }),
    };
  }

  /**
   * Identical requests running at once in this process (a double click, a client's retries)
   * share one run, so they spend nothing twice and ask payment once.
   */
  placeOrder(cmd: PlaceOrderCommand, spendBudget: () => Promise<void>): Promise<{ orderId: string }> {
    const requestHash = hashCheckout(cmd);
    const same = `${cmd.customerId}\n${cmd.idempotencyKey}\n${requestHash}`;
    const running = this.running.get(same);
    if (running) return running;
    const run = this.placeOnce({ cmd, requestHash, spendBudget }).finally(() => this.running.delete(same));
    this.running.set(same, run);
    return run;
  }

  private async placeOnce(c: Checkout): Promise<{ orderId: string }> {
    // Most checkouts are first attempts, so the cart is priced while the earlier attempt is
    // looked for instead of after; a pricing error only counts when there is none to answer from.
    const [earlier, priced] = await Promise.all([
      this.attempts.find(c.cmd.customerId, c.cmd.idempotencyKey),
      this.price(c.cmd).then(
        (draft) => ({ draft }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (earlier) {
      if (earlier.requestHash !== c.requestHash) throw checkoutKeyReused();
      if (!isOpenAttempt(earlier.status)) return answerFor(earlier);
      c.attempt = earlier;
    } else {
      if ("error" in priced) throw priced.error;
      c.draft = priced.draft;
    }
    // The breaker is open: the call would not leave this process. Record nothing, spend nothing.
    if (this.payment.refusingCalls) throw serviceBusy("payment");
    return this.inFlight.run(c.cmd.customerId, () => runSaga(this.saga, c));
  }

  /**
   * Step 1. A new checkout spends its budget and records a PENDING attempt, its first send to
   * payment counted; when another replica recorded the key first, that attempt is driven, as a
   * retry's is. Driving an existing attempt counts one more send (payment is idempotent by the
   * attempt's id); one decided meanwhile gives its answer instead.
   */
  private async recordAttempt(c: Checkout) {
    if (!c.attempt) {
      await c.spendBudget();
      const fresh = {
        id: crypto.randomUUID(),
        customerId: c.cmd.customerId,
        idempotencyKey: c.cmd.idempotencyKey,
        requestHash: c.requestHash,
        draft: c.draft!,
      };
      const winner = await this.attempts.record(fresh);
      if (!winner) {
        c.attempt = { ...fresh, status: "PENDING", declineCode: null, declineMessage: null };
        return;
      }
      if (winner.requestHash !== c.requestHash) throw checkoutKeyReused();
      c.attempt = winner;
    }
    if (!(await this.attempts.claimSend(c.attempt.id))) {
      return done(answerFor((await this.attempts.find(c.cmd.customerId, c.cmd.idempotencyKey))!));
    }
  }

  /**
   * Step 1's compensation, when payment did not authorize: DECLINED (the card's answer, kept for
   * retries), VOIDED (payment already gave the attempt up), UNSENT (nothing reached payment:
   * nothing to void), or UNKNOWN (to be voided unless a retry places it). Any other failure —
   * placing the order — leaves the attempt open, for a retry to place or the reconciler to void.
   */
  private async closeAttempt(attempt: AttemptState, failure: AuthorizationFailure | undefined) {
    if (!failure) return;
    const id = attempt.id;
    switch (failure.attemptIs) {
      case "UNSENT":
        return this.attempts.markUnsent(id);
      case "VOIDED":
        return this.attempts.markVoided(id);
      case "DECLINED":
        return this.attempts.markDeclined(id, failure.answer.reason, failure.answer.message);
      case "UNKNOWN":
        await this.attempts.markUnknown(id);
        // The reconciler looks often for a while.
        this.busyUntil = Date.now() + this.graceMs() + 5_000;
    }
  }

  /** Step 2: an authorization, or what its failure means for the attempt (`authorizationFailed`). */
  private async authorize(c: Checkout) {
    const cmd = c.cmd;
    const attempt = c.attempt!;
    const failed = (attemptIs: AuthorizationFailure["attemptIs"], answer: DomainError) => {
      c.authorizationFailed = { attemptIs, answer };
      return answer;
    };
    let reply;
    try {
      reply = await this.payment.authorize({
        orderId: attempt.id,
        customerId: cmd.customerId,
        amountKrw: attempt.draft.totalKrw,
        cardNumber: cmd.cardNumber,
      });
    } catch (err) {
      if (err instanceof RemoteUnavailableError && err.neverDelivered) {
        throw failed("UNSENT", serviceBusy("payment"));
      }
      if (err instanceof RemoteTimeoutError || err instanceof RemoteUnavailableError) {
        throw failed("UNKNOWN", serviceBusy("payment"));
      }
      throw err;
    }
    if (reply.ok) return;
    if (reply.code === "ATTEMPT_VOIDED") throw failed("VOIDED", checkoutExpired());
    if (isOneOf(paymentNotChargedCodes, reply.code))
      throw failed("UNSENT", serviceBusy("payment"));
    // Not a decision about the card: treated like an unanswered call.
    if (!isOneOf(paymentDeclineCodes, reply.code))
      throw failed("UNKNOWN", serviceBusy("payment"));
    throw failed("DECLINED", cardDeclined(reply.code, reply.message));
  }

  /** Step 3, in one transaction with OrderPlaced; only while the attempt is open (not voided meanwhile). */
  private async placeTheOrder(cmd: PlaceOrderCommand, attempt: AttemptState) {
    const orderId = attempt.id;
    const placed = await this.rt.uow.run(async (tx) => {
      if (!(await this.attempts.markPlaced(tx, orderId))) return { result: false, events: [] };
      const at = new Date();
      const t = place(orderId, cmd.customerId, attempt.draft, at);
      await insertOrder(tx, t.state, attempt.draft, at);
      return { result: true, events: t.events };
    });
    if (placed || (await this.attempts.statusOf(orderId)) === "PLACED") return;
    throw checkoutExpired(); // reconciled (voided) while we were asking payment
  }

  private async price(cmd: PlaceOrderCommand): Promise<OrderDraft> {
    const { shop, items } = await catalogFor(
      this.rt.db,
      cmd.shopId,
      cmd.lines.map((l) => l.menuItemId),
    );
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
   * Step 2's compensation, for every checkout at once. UNSENT attempts idle past the grace
   * period are closed without a call. PENDING/UNKNOWN ones are claimed (VOIDING, committed)
   * oldest first, then voided at payment in batches; VOIDED once payment confirmed. Claimed
   * attempts are re-driven until payment answers. Returns how many attempts were closed or voided.
   */
  private async reconcile(): Promise<number> {
    const before = new Date(Date.now() - this.graceMs());
    let closed = await this.attempts.closeUnsent(before);
    for (;;) {
      const claimed = await this.attempts.claimStale(before, voidBatch * 5);
      for (;;) {
        const ids = await this.attempts.voiding(voidBatch);
        if (ids.length === 0) break;
        const reply = await this.payment.voidAuthorizations({ orderIds: ids }).catch((err: unknown) => {
          if (!(err instanceof RemoteTimeoutError || err instanceof RemoteUnavailableError)) throw err;
          return null; // payment is away: try again every second until it answers
        });
        if (!reply) {
          this.busyUntil = Date.now() + 2_000;
          return closed;
        }
        if (!reply.ok) {
          throw new DomainError("CONFLICT", `payment refused to void: ${reply.code} ${reply.message}`, "VOID_REFUSED");
        }
        closed += await this.attempts.voided(ids);
        if (ids.length < voidBatch) break;
      }
      if (claimed < voidBatch * 5) return closed;
    }
  }
}

const isOneOf = (codes: readonly string[], code: string) => codes.includes(code);
