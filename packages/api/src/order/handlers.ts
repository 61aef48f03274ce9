import { CatalogEvents, DeliveryEvents, PaymentEvents, StoreEvents, on } from "@baedal/events";
import type { OrderRuntime } from "./checkout-saga.js";
import * as O from "./domain/order.js";
import type { OrderService } from "./service.js";

/** The order saga's inbound side: store, delivery and payment move the order along. */
export function registerHandlers(rt: OrderRuntime, orders: OrderService) {
  rt.consume({
    name: "order-from-store",
    source: "store",
    handlers: {
      TicketAccepted: on(StoreEvents.TicketAccepted, (e, tx) =>
        orders.react(tx, e, "PLACED", (o, at) => O.accept(o, e.data.prepMinutes, at, e.id)),
      ),
      TicketCookingStarted: on(StoreEvents.TicketCookingStarted, (e, tx) =>
        orders.react(tx, e, "ACCEPTED", (o, at) => O.startCooking(o, at, e.id)),
      ),
      TicketReady: on(StoreEvents.TicketReady, (e, tx) =>
        orders.react(tx, e, "COOKING", (o, at) => O.markReady(o, at, e.id)),
      ),
      TicketRejected: on(StoreEvents.TicketRejected, (e, tx) => orders.rejectByShop(tx, e, e.data.reason)),
    },
  });

  rt.consume({
    name: "order-from-delivery",
    source: "delivery",
    handlers: {
      RiderCallAccepted: on(DeliveryEvents.RiderCallAccepted, (e, tx) => {
        const d = e.data;
        const rider = { riderCallId: d.riderCallId, riderId: d.riderId, riderName: d.riderName };
        return orders.react(tx, e, "READY", (o, at) => O.assignRider(o, rider, at, e.id));
      }),
      RiderCallPickedUp: on(DeliveryEvents.RiderCallPickedUp, (e, tx) =>
        orders.react(tx, e, "RIDER_ASSIGNED", (o, at) => O.pickUp(o, at, e.id)),
      ),
      RiderCallCompleted: on(DeliveryEvents.RiderCallCompleted, (e, tx) =>
        orders.react(tx, e, "PICKED_UP", (o, at) => O.deliver(o, at, e.id)),
      ),
    },
  });

  rt.consume({
    name: "order-from-payment",
    source: "payment",
    handlers: {
      PaymentRefunded: on(PaymentEvents.PaymentRefunded, (e, tx) =>
        orders.recordRefund(tx, e, e.data.amountKrw),
      ),
    },
  });

  // Order keeps its own replica of the catalog to price carts without calling catalog.
  rt.consume({
    name: "order-from-catalog",
    source: "catalog",
    handlers: {
      ShopUpdated: on(CatalogEvents.ShopUpdated, (e, tx) => {
        const d = e.data;
        return orders.saveShop(tx, {
          shopId: d.shopId,
          ownerId: d.ownerId,
          name: d.name,
          category: d.category,
          address: d.address,
          isOpen: d.isOpen,
          minOrderKrw: d.minOrderKrw,
          deliveryFeeKrw: d.deliveryFeeKrw,
          updatedAt: new Date(e.occurredAt),
        });
      }),
      MenuItemListed: on(CatalogEvents.MenuItemListed, (e, tx) => {
        const d = e.data;
        return orders.saveListedItem(tx, {
          menuItemId: d.menuItemId,
          shopId: d.shopId,
          name: d.name,
          priceKrw: d.priceKrw,
          soldOut: d.soldOut,
          revision: d.revision,
        });
      }),
      MenuItemDelisted: on(CatalogEvents.MenuItemDelisted, (e, tx) =>
        orders.delistItem(tx, e.data.menuItemId),
      ),
      MenuItemSoldOutChanged: on(CatalogEvents.MenuItemSoldOutChanged, (e, tx) =>
        orders.setItemSoldOut(tx, e.data.menuItemId, e.data.soldOut),
      ),
    },
  });
}
