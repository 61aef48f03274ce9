import { eventTypesOf, LiveHub, type EventEnvelope, type EventHandler } from "@baedal/events";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";
import { applyOrderEvent, emptyView } from "./domain/order-view.js";
import { appendFeed, lockView, saveView, type Tx } from "./adapters/repository.js";

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

interface NotificationData {
  notificationId: string;
  recipientId: string;
  recipientRole: string;
  orderId: string | null;
  kind: string;
  title: string;
  body: string;
}

/** A notification for a customer reaches them through the same live feed as their orders. */
const onNotification: EventHandler<Tx> = async (event, tx) => {
  const n = event.data as NotificationData;
  if (n.recipientRole !== "CUSTOMER") return;
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
  rt.consume({
    name: "mypage-from-notification",
    source: "notification",
    handlers: { NotificationCreated: onNotification },
    afterCommit,
  });
}
