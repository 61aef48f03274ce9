import {
  EventTooEarly,
  type CancelledBy,
  type EventEnvelope,
  type OrderStatus,
  type PaymentClient,
} from "@baedal/events";
import type { Actor } from "../platform/auth.js";
import { DomainError, notFound } from "../platform/errors.js";
import * as Replica from "./adapters/catalog-replica.js";
import { findForSupport, findWithLines, loadForUpdate, saveOrder } from "./adapters/repository.js";
import { CheckoutSaga, type OrderRuntime, type PlaceOrderCommand } from "./checkout-saga.js";
import * as O from "./domain/order.js";
import type { Order, OrderTransition } from "./domain/order.js";
import type { Prisma } from "./generated/client.js";

type Tx = Prisma.TransactionClient;

/** Who may read an order: its customer, its shop's owner, and admins. */
function mayRead(actor: Actor, o: { customerId: string; shopId: string }) {
  return (
    actor.role === "ADMIN" ||
    (actor.role === "CUSTOMER" && o.customerId === actor.userId) ||
    (actor.role === "SHOP_OWNER" && o.shopId === actor.shopId)
  );
}

/**
 * Order's commands and queries, and its reactions to other contexts' events. Placing an order is
 * the checkout saga's (its collaborator); everything else reaches the adapters through here.
 */
export class OrderService {
  private readonly checkout: CheckoutSaga;

  constructor(
    private readonly rt: OrderRuntime,
    payment: PaymentClient,
  ) {
    this.checkout = new CheckoutSaga(rt, payment);
  }

  /** `spendBudget` counts a new checkout against the customer's order rate limit; a retry spends nothing. */
  placeOrder(cmd: PlaceOrderCommand, spendBudget: () => Promise<void>) {
    return this.checkout.placeOrder(cmd, spendBudget);
  }

  /**
   * The checkout reconciler's tick (index.ts runs it every second; the saga decides whether it is
   * due): voids authorizations left without an order. Returns how many attempts it closed.
   */
  reconcileWhenDue(): Promise<number> {
    return this.checkout.reconcileWhenDue();
  }

  /** An order with its lines, for whoever may read it (anyone else is told it does not exist). */
  async orderFor(actor: Actor, orderId: string) {
    const o = await findWithLines(this.rt.db, orderId);
    if (!o || !mayRead(actor, o)) throw notFound("order");
    const status = o.status as OrderStatus;
    return {
      ...o,
      canCustomerCancel: O.canCancel({ status }, "CUSTOMER"),
      canAdminCancel: O.canCancel({ status }, "ADMIN"),
    };
  }

  /** Customer service's search by order id or by phone number. */
  findForSupport(by: { orderId: string } | { phone: string }) {
    return findForSupport(this.rt.db, by);
  }

  /** Runs a transition on a locked order inside the unit of work. */
  private async transition(orderId: string, step: (o: Order) => OrderTransition): Promise<Order> {
    return this.rt.uow.run(async (tx) => {
      const o = await loadForUpdate(tx, orderId);
      if (!o) throw notFound("order");
      const t = step(o);
      await saveOrder(tx, t.state);
      return { result: t.state, events: t.events };
    });
  }

  cancelByCustomer(orderId: string, customerId: string, reason: string) {
    return this.transition(orderId, (o) => {
      if (o.customerId !== customerId) throw notFound("order");
      return O.cancel(o, "CUSTOMER", reason, new Date(), null);
    });
  }

  cancelByAdmin(orderId: string, reason: string) {
    return this.transition(orderId, (o) => O.cancel(o, "ADMIN", reason, new Date(), null));
  }

  /**
   * A saga step reacting to an event: applies `step` when the order is at `expected`, ignores the
   * event when the order is already past it, and throws (so the consumer retries) when the order
   * has not got there yet.
   */
  async react(
    tx: Tx,
    event: EventEnvelope,
    expected: OrderStatus,
    step: (o: Order, at: Date) => OrderTransition,
  ) {
    const o = await loadForUpdate(tx, event.orderId!);
    const verdict = O.verdictFor(o, expected);
    if (verdict === "ignore") return [];
    if (verdict === "retry") {
      // Nothing follows an order that does not exist (it is written with its OrderPlaced): a
      // failure, parked after the few quick retries. An order not there yet is waited for.
      if (!o) throw new DomainError("CONFLICT", `order ${event.orderId} is unknown`, "UNKNOWN_ORDER");
      throw new EventTooEarly(`order ${event.orderId} is ${o.status}, not yet ${expected}`);
    }
    const t = step(o!, new Date(event.occurredAt));
    await saveOrder(tx, t.state);
    return t.events;
  }

  /** Shop rejected, or admin/customer path already cancelled: cancel once with the shop as the actor. */
  async rejectByShop(tx: Tx, event: EventEnvelope, reason: string) {
    return this.react(tx, event, "PLACED", (o, at) =>
      O.cancel(o, "SHOP" as CancelledBy, reason, at, event.id),
    );
  }

  async recordRefund(tx: Tx, event: EventEnvelope, amountKrw: number) {
    const o = await loadForUpdate(tx, event.orderId!);
    // A refund follows the order's own OrderCancelled, so its order is here; one that is not (a
    // database restored from behind) is waited for rather than parked.
    if (!o) throw new EventTooEarly(`refund for order ${event.orderId}, which is not here yet`);
    if (o.status !== "CANCELLED" || o.refundedKrw !== null) return [];
    const t = O.markRefunded(o, amountKrw, new Date(event.occurredAt), event.id);
    await saveOrder(tx, t.state);
    return t.events;
  }

  // Order's replica of the catalog, written from catalog's events.
  saveShop = (tx: Tx, shop: Replica.ShopRow) => Replica.saveShop(tx, shop);
  saveListedItem = (tx: Tx, item: Replica.MenuItemRow) => Replica.saveListedItem(tx, item);
  delistItem = (tx: Tx, menuItemId: string) => Replica.delistItem(tx, menuItemId);
  setItemSoldOut = (tx: Tx, menuItemId: string, soldOut: boolean) =>
    Replica.setItemSoldOut(tx, menuItemId, soldOut);
}
