import { randomUUID } from "node:crypto";
import { EventTooEarly, OrderEvents, on, type EventEnvelope } from "@baedal/events";
import { ticketRepo, type Tx } from "./adapters/ticket-repo.js";
import type { BoardFeed } from "./board-feed.js";
import {
  cancel,
  openTicket,
  recordRefund,
  tombstone,
  trackDelivery,
  type DeliveryStatus,
  type Ticket,
} from "./domain/ticket.js";
import type { StoreRuntime } from "./service.js";

/**
 * Store's inbound events, all from the order context: OrderPlaced opens a ticket,
 * OrderCancelled closes it, and the later steps (rider assigned, picked up, delivered, refunded)
 * annotate it so the shop's board follows the order to the door. Every change lands on the
 * shop's board feed in the same transaction; the board is pinged after commit.
 */
export function registerHandlers(rt: StoreRuntime, board: BoardFeed): void {
  /** Applies a board annotation (no events) to the order's ticket, compare-and-set. */
  const annotate = async (tx: Tx, orderId: string, fn: (t: Ticket) => Ticket): Promise<EventEnvelope[]> => {
    const t = await ticketRepo.byOrder(tx, orderId);
    // The ticket (or its tombstone) precedes every later step; without it the event came early,
    // e.g. overtaking an OrderPlaced/OrderCancelled still being retried after a crash: wait for it.
    if (!t) throw new EventTooEarly(`no ticket yet for order ${orderId}; retrying`);
    const next = fn(t);
    if (next === t) return [];
    if (!(await ticketRepo.save(tx, t, next)))
      throw new Error(`ticket ${t.id} changed concurrently; retrying`);
    await board.record(tx, t.id);
    return [];
  };
  const delivery =
    (status: DeliveryStatus) =>
    async (event: EventEnvelope, tx: Tx): Promise<EventEnvelope[]> => {
      const d = event.data as { orderId: string; riderName?: string };
      return annotate(tx, d.orderId, (t) => trackDelivery(t, status, d.riderName));
    };

  rt.consume({
    name: "store-from-order",
    source: "order",
    afterCommit: (event) => {
      const shopId = (event.data as { shopId?: string }).shopId;
      if (shopId) board.ping(shopId);
    },
    handlers: {
      OrderPlaced: on(OrderEvents.OrderPlaced, async (event, tx) => {
        const d = event.data;
        const t = openTicket(randomUUID(), {
          orderId: d.orderId,
          shopId: d.shopId,
          shopName: d.shopName,
          shopAddress: d.shopAddress,
          lines: d.lines,
          itemsTotalKrw: d.itemsTotalKrw,
          totalKrw: d.totalKrw,
          deliveryAddress: d.deliveryAddress,
          phone: d.phone,
          note: d.note,
        });
        // A duplicate, or a tombstone of an order cancelled first: the insert is skipped.
        if (await ticketRepo.insert(tx, t)) await board.record(tx, t.id);
        return [];
      }),

      OrderCancelled: on(OrderEvents.OrderCancelled, async (event, tx) => {
        const d = event.data;
        const t = await ticketRepo.byOrder(tx, d.orderId);
        if (!t) {
          // Cancelled before the ticket exists: leave a tombstone so a late OrderPlaced is ignored.
          const inserted = await ticketRepo.insert(
            tx,
            tombstone(randomUUID(), d.orderId, d.shopId, d.reason),
          );
          if (!inserted) throw new Error(`ticket for order ${d.orderId} appeared concurrently; retrying`);
          return [];
        }
        const { state, events } = cancel(t, d.reason, event.id, d.cancelledBy);
        if (events.length > 0) {
          if (!(await ticketRepo.save(tx, t, state)))
            throw new Error(`ticket ${t.id} changed concurrently; retrying`);
          await board.record(tx, t.id);
        }
        return events;
      }),

      OrderRiderAssigned: delivery("RIDER_ASSIGNED"),
      OrderPickedUp: delivery("PICKED_UP"),
      OrderDelivered: delivery("DELIVERED"),

      OrderRefunded: on(OrderEvents.OrderRefunded, async (event, tx) => {
        const d = event.data;
        return annotate(tx, d.orderId, (t) => recordRefund(t, d.refundKrw));
      }),
    },
  });
}
