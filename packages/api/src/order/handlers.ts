import { CatalogEvents, DeliveryEvents, PaymentEvents, StoreEvents, on } from "@baedal/events";
import * as O from "./domain/order.js";
import type { OrderRuntime } from "./checkout-saga.js";
import type { OrderService } from "./order-service.js";

/** The order saga's inbound side: store, delivery and payment move the order along. */
export function registerOrderHandlers(rt: OrderRuntime, orders: OrderService) {
  rt.consume({
    name: "order-from-store",
    source: "store",
    handlers: {
      TicketAccepted: on(StoreEvents.TicketAccepted, (e, tx) => {
        const d = e.data;
        return orders.react(tx, e, "PLACED", (o, at) => O.accept(o, d.prepMinutes, at, e.id));
      }),
      TicketCookingStarted: (e, tx) =>
        orders.react(tx, e, "ACCEPTED", (o, at) => O.startCooking(o, at, e.id)),
      TicketReady: (e, tx) => orders.react(tx, e, "COOKING", (o, at) => O.markReady(o, at, e.id)),
      TicketRejected: on(StoreEvents.TicketRejected, (e, tx) => orders.rejectByShop(tx, e, e.data.reason)),
    },
  });

  rt.consume({
    name: "order-from-delivery",
    source: "delivery",
    handlers: {
      RiderCallAccepted: on(DeliveryEvents.RiderCallAccepted, (e, tx) => {
        const d = e.data;
        return orders.react(tx, e, "READY", (o, at) =>
          O.assignRider(
            o,
            { riderCallId: d.riderCallId, riderId: d.riderId, riderName: d.riderName },
            at,
            e.id,
          ),
        );
      }),
      RiderCallPickedUp: (e, tx) => orders.react(tx, e, "RIDER_ASSIGNED", (o, at) => O.pickUp(o, at, e.id)),
      RiderCallCompleted: (e, tx) => orders.react(tx, e, "PICKED_UP", (o, at) => O.deliver(o, at, e.id)),
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
      ShopUpdated: on(CatalogEvents.ShopUpdated, async (e, tx) => {
        const d = e.data;
        const row = {
          ownerId: d.ownerId,
          name: d.name,
          category: d.category,
          address: d.address,
          isOpen: d.isOpen,
          minOrderKrw: d.minOrderKrw,
          deliveryFeeKrw: d.deliveryFeeKrw,
          updatedAt: new Date(e.occurredAt),
        };
        // Replicas may see two updates out of order: the newer one wins.
        const { count } = await tx.shopReplica.updateMany({
          where: { shopId: d.shopId, updatedAt: { lte: row.updatedAt } },
          data: row,
        });
        if (count === 0)
          await tx.shopReplica.createMany({ data: [{ shopId: d.shopId, ...row }], skipDuplicates: true });
      }),
      MenuItemListed: on(CatalogEvents.MenuItemListed, async (e, tx) => {
        const d = e.data;
        const row = {
          shopId: d.shopId,
          name: d.name,
          priceKrw: d.priceKrw,
          soldOut: d.soldOut,
          listed: true,
          revision: d.revision,
        };
        const existing = await tx.menuItemReplica.findUnique({ where: { menuItemId: d.menuItemId } });
        if (!existing) await tx.menuItemReplica.create({ data: { menuItemId: d.menuItemId, ...row } });
        else if (existing.revision <= d.revision) {
          await tx.menuItemReplica.update({ where: { menuItemId: d.menuItemId }, data: row });
        }
      }),
      MenuItemDelisted: on(CatalogEvents.MenuItemDelisted, async (e, tx) => {
        const d = e.data;
        await tx.menuItemReplica.updateMany({ where: { menuItemId: d.menuItemId }, data: { listed: false } });
      }),
      MenuItemSoldOutChanged: on(CatalogEvents.MenuItemSoldOutChanged, async (e, tx) => {
        const d = e.data;
        await tx.menuItemReplica.updateMany({
          where: { menuItemId: d.menuItemId },
          data: { soldOut: d.soldOut },
        });
      }),
    },
  });
}
