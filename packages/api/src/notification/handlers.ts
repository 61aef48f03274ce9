import {
  createEvent,
  eventTypesOf,
  NotificationEvents,
  type EventEnvelope,
  type EventHandler,
} from "@baedal/events";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";
import {
  notificationsForDeliveryEvent,
  notificationsForOrderEvent,
  type NotificationDraft,
} from "./domain/messages.js";
import { createNotification, type Tx } from "./adapters/repository.js";

export type NotificationRuntime = ContextRuntime<PrismaClient, Tx>;

/** Stores the drafts (with webhook deliveries) and returns one NotificationCreated per notification. */
async function store(tx: Tx, drafts: NotificationDraft[], cause: EventEnvelope): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (const draft of drafts) {
    const n = await createNotification(tx, draft);
    events.push(
      createEvent(
        NotificationEvents.NotificationCreated,
        {
          notificationId: n.id,
          recipientId: n.recipientId,
          recipientRole: n.recipientRole,
          orderId: n.orderId,
          kind: n.kind,
          title: n.title,
          body: n.body,
        },
        cause.id,
      ),
    );
  }
  return events;
}

const onOrderEvent: EventHandler<Tx> = (event, tx) => store(tx, notificationsForOrderEvent(event), event);
const onDeliveryEvent: EventHandler<Tx> = (event, tx) =>
  store(tx, notificationsForDeliveryEvent(event), event);

export function registerHandlers(rt: NotificationRuntime): void {
  rt.consume({
    name: "notification-from-order",
    source: "order",
    handlers: Object.fromEntries(eventTypesOf("order").map((t) => [t, onOrderEvent])),
  });
  rt.consume({
    name: "notification-from-delivery",
    source: "delivery",
    handlers: { RiderCallCancelled: onDeliveryEvent },
  });
}
