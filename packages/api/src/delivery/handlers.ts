import { OrderEvents, StoreEvents, on } from "@baedal/events";
import type { DeliveryRuntime, DeliveryService } from "./service.js";

/**
 * Delivery's inbound events: rider calls from store, cancellations from order (what each does:
 * DeliveryService, which records each call change on the riders' feed; their streams get it once
 * the transaction commits).
 */
export function registerHandlers(rt: DeliveryRuntime, delivery: DeliveryService): void {
  rt.consume({
    name: "delivery-from-store",
    source: "store",
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
    handlers: {
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) =>
        delivery.cancelCall(tx, e.data.orderId, e.data.reason, e.id),
      ),
    },
  });
}
