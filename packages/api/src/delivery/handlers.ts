import { OrderEvents, StoreEvents, on } from "@baedal/events";
import type { DeliveryRuntime, DeliveryService } from "./service.js";

/**
 * Delivery's inbound events: rider calls from store, cancellations from order (what each does:
 * DeliveryService). Riders are pinged once the event's transaction committed.
 */
export function registerHandlers(rt: DeliveryRuntime, delivery: DeliveryService): void {
  const afterCommit = () => delivery.feedChanged();
  rt.consume({
    name: "delivery-from-store",
    source: "store",
    afterCommit,
    handlers: {
      RiderCallRequested: on(StoreEvents.RiderCallRequested, (e, tx) => {
        const d = e.data;
        const request = {
          orderId: d.orderId,
          shopId: d.shopId,
          shopName: d.shopName,
          pickupAddress: d.pickupAddress,
          destination: d.destination,
          feeKrw: d.feeKrw,
        };
        return delivery.openCall(tx, request, e.id);
      }),
    },
  });

  rt.consume({
    name: "delivery-from-order",
    source: "order",
    afterCommit,
    handlers: {
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) =>
        delivery.cancelCall(tx, e.data.orderId, e.data.reason, e.id),
      ),
    },
  });
}
