import { DeliveryEvents, eventRegistry, on, type EventHandler } from "@baedal/events";
import type { NotificationRuntime, NotificationService, Tx } from "./service.js";

export type { NotificationRuntime };

export function registerHandlers(rt: NotificationRuntime, notifications: NotificationService): void {
  // Every order event: the domain decides which tell someone something (messages.ts).
  const fromOrder: Record<string, EventHandler<Tx>> = Object.fromEntries(
    [...eventRegistry.values()]
      .filter((def) => def.source === "order")
      .map((def) => [def.type, on(def, (e, tx: Tx) => notifications.onOrderEvent(tx, e))]),
  );
  rt.consume({ name: "notification-from-order", source: "order", handlers: fromOrder });
  rt.consume({
    name: "notification-from-delivery",
    source: "delivery",
    handlers: {
      RiderCallCancelled: on(DeliveryEvents.RiderCallCancelled, (e, tx) =>
        notifications.onDeliveryEvent(tx, e),
      ),
    },
  });
}
