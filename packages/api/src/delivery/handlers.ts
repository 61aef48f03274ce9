import { randomUUID } from "node:crypto";
import { OrderEvents, StoreEvents, on } from "@baedal/events";
import { deliveryRepo } from "./adapters/rider-call-repo.js";
import { cancel, open } from "./domain/rider-call.js";
import type { RiderFeed } from "./rider-feed.js";
import type { DeliveryRuntime } from "./service.js";

/**
 * Delivery's inbound events: rider calls from store, cancellations from order. Each change is
 * recorded on the riders' live feed in the same transaction; riders are pinged after commit.
 */
export function registerHandlers(rt: DeliveryRuntime, feed: RiderFeed): void {
  const afterCommit = () => feed.ping();
  rt.consume({
    name: "delivery-from-store",
    source: "store",
    afterCommit,
    handlers: {
      RiderCallRequested: on(StoreEvents.RiderCallRequested, async (event, tx) => {
        const d = event.data;
        await deliveryRepo.lockOrder(tx, d.orderId);
        if (await deliveryRepo.byOrder(tx, d.orderId)) return []; // already opened
        const cancelled = await deliveryRepo.cancelledReason(tx, d.orderId);
        const { state, events } = open(
          randomUUID(),
          {
            orderId: d.orderId,
            shopId: d.shopId,
            shopName: d.shopName,
            pickupAddress: d.pickupAddress,
            destination: d.destination,
            feeKrw: d.feeKrw,
          },
          event.id,
          cancelled ?? undefined,
        );
        if ((await deliveryRepo.insert(tx, state)) && state.status === "CALLED")
          await feed.record(tx, state.id, null);
        return events;
      }),
    },
  });

  rt.consume({
    name: "delivery-from-order",
    source: "order",
    afterCommit,
    handlers: {
      OrderCancelled: on(OrderEvents.OrderCancelled, async (event, tx) => {
        const d = event.data;
        await deliveryRepo.lockOrder(tx, d.orderId);
        const call = await deliveryRepo.byOrder(tx, d.orderId);
        if (!call) {
          // No call yet: remember the cancellation so a late RiderCallRequested opens nothing.
          await deliveryRepo.tombstone(tx, d.orderId, d.reason);
          return [];
        }
        const { state, events } = cancel(call, d.reason, event.id);
        if (events.length > 0) {
          if (!(await deliveryRepo.save(tx, call, state))) {
            throw new Error(`rider call ${call.id} changed concurrently; retrying`);
          }
          await feed.record(tx, call.id, call.status);
        }
        return events;
      }),
    },
  });
}
