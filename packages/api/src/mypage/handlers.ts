import { EventTooEarly, eventTypesOf, LiveHub, type EventEnvelope, type EventHandler } from "@baedal/events";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";
import { applyDeliveryEvent, applyOrderEvent, emptyView, showsAnnouncedStep } from "./domain/order-view.js";
import { appendFeed, lockExistingView, lockView, saveView, viewOf, type Tx } from "./adapters/repository.js";

export type MypageRuntime = ContextRuntime<PrismaClient, Tx>;

/** Applies an order event to the customer's view and appends the result to their live feed. */
const onOrderEvent: EventHandler<Tx> = async (event, tx) => {
  const data = event.data as Parameters<typeof emptyView>[0];
  const current = await lockView(tx, emptyView(data));
  const { view, changed } = applyOrderEvent(current, event);
  if (!changed) return;
  await saveView(tx, view);
  await appendFeed(tx, view.customerId, "ORDER", view.orderId, view);
};

/**
 * Applies a rider call event (delivery) to the order's view. The view is started by an order
 * event, which always precedes the call on the order's side; until mypage has applied one, the
 * delivery event waits for it. Delivery events do not name the customer: `woken` keeps, per
 * event id, whose stream to wake once the transaction committed.
 */
const deliveryHandler =
  (woken: Map<string, string>): EventHandler<Tx> =>
  async (event, tx) => {
    const { orderId } = event.data as { orderId: string };
    const current = await lockExistingView(tx, orderId);
    if (!current) throw new EventTooEarly(`no My page view yet for order ${orderId}; retrying`);
    const { view, changed } = applyDeliveryEvent(current, event);
    if (!changed) return;
    await saveView(tx, view);
    // Its own kind: ORDER entries are one per order event (the timeline's steps), as the chaos
    // checker and the benches count them; both carry the whole view.
    await appendFeed(tx, view.customerId, "DELIVERY", view.orderId, view);
    woken.set(event.id, view.customerId);
  };

interface NotificationData {
  notificationId: string;
  recipientId: string;
  recipientRole: string;
  orderId: string | null;
  kind: string;
  title: string;
  body: string;
}

/**
 * A notification for a customer reaches them through the same live feed as their orders, never
 * before the status it announces: it waits (EventTooEarly) until the view shows that step. The
 * step's feed entry committed with the view, so once the view is seen here, that entry has the
 * lower feed seq (feed seqs are handed out under the customer's head row lock).
 */
const onNotification: EventHandler<Tx> = async (event, tx) => {
  const n = event.data as NotificationData;
  if (n.recipientRole !== "CUSTOMER") return;
  if (n.orderId && !showsAnnouncedStep(await viewOf(tx, n.orderId), n.kind)) {
    throw new EventTooEarly(
      `My page does not show ${n.kind} of order ${n.orderId} yet; holding its notification`,
    );
  }
  await appendFeed(tx, n.recipientId, "NOTIFICATION", n.orderId, { ...n, createdAt: event.occurredAt });
};

/** The customer a committed event concerns (whose live streams to wake). */
export function customerOf(event: EventEnvelope): string | null {
  const d = event.data as { customerId?: string; recipientId?: string; recipientRole?: string };
  if (event.type === "NotificationCreated")
    return d.recipientRole === "CUSTOMER" ? (d.recipientId ?? null) : null;
  return d.customerId ?? null;
}

export function registerHandlers(rt: MypageRuntime, hub: LiveHub): void {
  const afterCommit = (event: EventEnvelope) => {
    const customerId = customerOf(event);
    if (customerId) hub.ping(customerId);
  };
  rt.consume({
    name: "mypage-from-order",
    source: "order",
    handlers: Object.fromEntries(eventTypesOf("order").map((t) => [t, onOrderEvent])),
    afterCommit,
  });
  const woken = new Map<string, string>();
  const onDeliveryEvent = deliveryHandler(woken);
  rt.consume({
    name: "mypage-from-delivery",
    source: "delivery",
    handlers: Object.fromEntries(eventTypesOf("delivery").map((t) => [t, onDeliveryEvent])),
    afterCommit: (event) => {
      const customerId = woken.get(event.id);
      woken.delete(event.id);
      if (customerId) hub.ping(customerId);
    },
  });
  rt.consume({
    name: "mypage-from-notification",
    source: "notification",
    handlers: { NotificationCreated: onNotification },
    afterCommit,
  });
}
