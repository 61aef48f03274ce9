import { DeliveryEvents, on, OrderEvents, type HandlersFor, type OrderEvent } from "@baedal/events";
import type { NotificationRuntime, NotificationService, Tx } from "./service.js";

export type { NotificationRuntime };

export function registerHandlers(rt: NotificationRuntime, notifications: NotificationService): void {
  // Every order event (`HandlersFor` OrderEvent: a new one does not compile until it is here); the
  // domain decides what each tells whom (messages.ts).
  rt.consume({
    name: "notification-from-order",
    source: "order",
    handlers: {
      OrderPlaced: on(OrderEvents.OrderPlaced, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderAccepted: on(OrderEvents.OrderAccepted, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderCookingStarted: on(OrderEvents.OrderCookingStarted, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderReady: on(OrderEvents.OrderReady, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderRiderAssigned: on(OrderEvents.OrderRiderAssigned, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderPickedUp: on(OrderEvents.OrderPickedUp, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderDelivered: on(OrderEvents.OrderDelivered, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) => notifications.onOrderEvent(tx, e)),
      OrderRefunded: on(OrderEvents.OrderRefunded, (e, tx) => notifications.onOrderEvent(tx, e)),
    } satisfies HandlersFor<OrderEvent, Tx>,
  });
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
