import { EventTooEarly, type CancelledBy, type EventEnvelope } from "@baedal/events";
import { DomainError, notFound } from "../platform/errors.js";
import { loadForUpdate, saveOrder } from "./adapters/order-repository.js";
import * as O from "./domain/order.js";
import type { Order, PlacedStatus, Transition } from "./domain/order.js";
import type { OrderRuntime } from "./checkout-saga.js";
import type { Prisma } from "./generated/client.js";

type Tx = Prisma.TransactionClient;

/** Commands on placed orders and the saga's reactions to other contexts' events. */
export class OrderService {
  constructor(private readonly rt: OrderRuntime) {}

  /** Runs a transition on a locked order inside the unit of work. */
  private async transition(orderId: string, step: (o: Order) => Transition): Promise<Order> {
    return this.rt.uow.run(async (tx) => {
      const o = await loadForUpdate(tx, orderId);
      if (!o) throw notFound("order");
      const t = step(o);
      await saveOrder(tx, t.order);
      return { result: t.order, events: t.events };
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
  async react(tx: Tx, event: EventEnvelope, expected: PlacedStatus, step: (o: Order, at: Date) => Transition) {
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
    await saveOrder(tx, t.order);
    return t.events;
  }

  /** Shop rejected, or admin/customer path already cancelled: cancel once with the shop as the actor. */
  async rejectByShop(tx: Tx, event: EventEnvelope, reason: string) {
    return this.react(tx, event, "PLACED", (o, at) => O.cancel(o, "SHOP" as CancelledBy, reason, at, event.id));
  }

  async recordRefund(tx: Tx, event: EventEnvelope, amountKrw: number) {
    const o = await loadForUpdate(tx, event.orderId!);
    if (!o) throw new DomainError("CONFLICT", "refund for an unknown order", "NOT_YET");
    if (o.status !== "CANCELLED" || o.refundedKrw !== null) return [];
    const t = O.markRefunded(o, amountKrw, new Date(event.occurredAt), event.id);
    await saveOrder(tx, t.order);
    return t.events;
  }
}
