import {
  DeliveryEvents,
  NotificationEvents,
  OrderEvents,
  on,
  type DeliveryEvent,
  type HandlersFor,
  type OrderEvent,
} from "@baedal/events";
import type { MypageRuntime, MypageService, Tx } from "./service.js";

export type { MypageRuntime };

/**
 * My page's three sources, each applied through the service (which wakes the customer's live
 * streams once the transaction commits). The view follows every event order and delivery publish
 * (one `on()` per type, `HandlersFor` the source: a new event type does not compile until it is here).
 */
export function registerHandlers(rt: MypageRuntime, mypage: MypageService): void {
  rt.consume({
    name: "mypage-from-order",
    source: "order",
    handlers: {
      OrderPlaced: on(OrderEvents.OrderPlaced, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderAccepted: on(OrderEvents.OrderAccepted, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderCookingStarted: on(OrderEvents.OrderCookingStarted, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderReady: on(OrderEvents.OrderReady, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderRiderAssigned: on(OrderEvents.OrderRiderAssigned, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderPickedUp: on(OrderEvents.OrderPickedUp, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderDelivered: on(OrderEvents.OrderDelivered, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) => mypage.onOrderEvent(tx, e)),
      OrderRefunded: on(OrderEvents.OrderRefunded, (e, tx) => mypage.onOrderEvent(tx, e)),
    } satisfies HandlersFor<OrderEvent, Tx>,
  });
  rt.consume({
    name: "mypage-from-delivery",
    source: "delivery",
    handlers: {
      RiderCallOpened: on(DeliveryEvents.RiderCallOpened, (e, tx) => mypage.onDeliveryEvent(tx, e)),
      RiderCallAccepted: on(DeliveryEvents.RiderCallAccepted, (e, tx) => mypage.onDeliveryEvent(tx, e)),
      RiderCallPickedUp: on(DeliveryEvents.RiderCallPickedUp, (e, tx) => mypage.onDeliveryEvent(tx, e)),
      RiderCallCompleted: on(DeliveryEvents.RiderCallCompleted, (e, tx) => mypage.onDeliveryEvent(tx, e)),
      RiderCallCancelled: on(DeliveryEvents.RiderCallCancelled, (e, tx) => mypage.onDeliveryEvent(tx, e)),
    } satisfies HandlersFor<DeliveryEvent, Tx>,
  });
  rt.consume({
    name: "mypage-from-notification",
    source: "notification",
    handlers: {
      NotificationCreated: on(NotificationEvents.NotificationCreated, (e, tx) => mypage.onNotification(tx, e)),
    },
  });
}
