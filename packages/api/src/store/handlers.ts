import { OrderEvents, on } from "@baedal/events";
import type { StoreRuntime, StoreService } from "./service.js";

/**
 * Store's inbound events, all from the order context (what each does: StoreService, which
 * records each ticket change on the shop's board feed; the boards get it once it commits).
 */
export function registerHandlers(rt: StoreRuntime, store: StoreService): void {
  rt.consume({
    name: "store-from-order",
    source: "order",
    handlers: {
      OrderPlaced: on(OrderEvents.OrderPlaced, (e, tx) => {
        const d = e.data;
        return store.openTicket(tx, {
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
      }),
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) => store.closeTicket(tx, e.data, e.id)),
      OrderRiderAssigned: on(OrderEvents.OrderRiderAssigned, (e, tx) =>
        store.trackDelivery(tx, e.data.orderId, "RIDER_ASSIGNED", e.data.riderName),
      ),
      OrderPickedUp: on(OrderEvents.OrderPickedUp, (e, tx) =>
        store.trackDelivery(tx, e.data.orderId, "PICKED_UP"),
      ),
      OrderDelivered: on(OrderEvents.OrderDelivered, (e, tx) =>
        store.trackDelivery(tx, e.data.orderId, "DELIVERED"),
      ),
      OrderRefunded: on(OrderEvents.OrderRefunded, (e, tx) =>
        store.recordRefund(tx, e.data.orderId, e.data.refundKrw),
      ),
    },
  });
}
