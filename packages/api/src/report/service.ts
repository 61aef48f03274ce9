import type { EventEnvelope, OrderEvent } from "@baedal/events";
import { daily, summary } from "./adapters/figures.js";
import { orderHistory, recordOrderEvent } from "./adapters/order-history.js";
import {
  insertOrLockDelivery,
  insertOrLockOrder,
  listDeliveries,
  updateDelivery,
  updateOrder,
  type Tx,
} from "./adapters/repository.js";
import { applyDeliveryEvent, applyOrderEvent, type CallEvent } from "./domain/projections.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";

export type ReportRuntime = ContextRuntime<PrismaClient, Tx>;
export type { Tx };

/** True when applying the event left every field of the row as it was (nothing to write). */
const unchanged = <R extends object>(a: R, b: R) =>
  (Object.keys(a) as (keyof R)[]).every((k) => a[k] === b[k]);

/**
 * The admin's report: its queries, and how it projects other contexts' events into its rows.
 * The only caller of the report's adapters.
 *
 * A projected event costs one statement when it creates its row (history line and row insert
 * together) and two when the row exists (lock-and-read, then the update the domain decided on;
 * none when the event changes nothing, e.g. a late RiderCallAccepted after the completion).
 */
export class ReportService {
  constructor(private readonly db: PrismaClient) {}

  deliveries(q: { from?: string; to?: string; limit: number }) {
    return listDeliveries(this.db, q);
  }

  daily(days: number) {
    return daily(this.db, days);
  }

  summary() {
    return summary(this.db);
  }

  orderHistory(orderId: string) {
    return orderHistory(this.db, orderId);
  }

  /** Any event about an order goes into its history (customer service reads it). */
  async recordHistory(tx: Tx, event: EventEnvelope): Promise<void> {
    await recordOrderEvent(tx, event);
  }

  /** A rider call's event (or its fee's settlement): history, and the call's row. */
  async projectCall(tx: Tx, event: CallEvent): Promise<void> {
    const current = await insertOrLockDelivery(tx, event, applyDeliveryEvent(null, event));
    if (!current) return;
    const next = applyDeliveryEvent(current, event);
    if (!unchanged(next, current)) await updateDelivery(tx, next);
  }

  /** An order event the report counts: history, and the order's row. */
  async projectOrder(tx: Tx, event: OrderEvent): Promise<void> {
    const current = await insertOrLockOrder(tx, event, applyOrderEvent(null, event));
    if (!current) return;
    const next = applyOrderEvent(current, event);
    if (!unchanged(next, current)) await updateOrder(tx, next);
  }
}
