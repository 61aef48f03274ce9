import { eventTypesOf, type EventHandler } from "@baedal/events";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";
import {
  applyDeliveryEvent,
  applyOrderEvent,
  deliveryEventTypes,
  emptyDelivery,
  emptyOrder,
  orderEventTypes,
} from "./domain/projections.js";
import { lockDelivery, lockOrder, saveDelivery, saveOrder, type Tx } from "./adapters/repository.js";
import { recordOrderEvent } from "./adapters/order-history.js";

export type ReportRuntime = ContextRuntime<PrismaClient, Tx>;

const onCallEvent: EventHandler<Tx> = async (event, tx) => {
  const d = event.data as { riderCallId: string; orderId: string };
  const current = await lockDelivery(tx, emptyDelivery(d, event.occurredAt));
  await saveDelivery(tx, applyDeliveryEvent(current, event));
};

const onOrderEvent: EventHandler<Tx> = async (event, tx) => {
  const current = await lockOrder(tx, emptyOrder(event.data as Parameters<typeof emptyOrder>[0]));
  await saveOrder(tx, applyOrderEvent(current, event));
};

const historyOnly: EventHandler<Tx> = async () => undefined;

/**
 * Handlers for every event type of `source`: each event goes into its order's history (for
 * customer service), and the types the report projects also update the report's rows.
 */
function handlersFor(source: string, projections: Record<string, EventHandler<Tx>>): Record<string, EventHandler<Tx>> {
  return Object.fromEntries(
    eventTypesOf(source).map((type) => {
      const project = projections[type] ?? historyOnly;
      const handler: EventHandler<Tx> = async (event, tx) => {
        await recordOrderEvent(tx, event);
        return project(event, tx);
      };
      return [type, handler];
    }),
  );
}

const only = (types: string[], handler: EventHandler<Tx>) => Object.fromEntries(types.map((t) => [t, handler]));

export function registerHandlers(rt: ReportRuntime): void {
  rt.consume({
    name: "report-from-delivery",
    source: "delivery",
    handlers: handlersFor("delivery", only(deliveryEventTypes, onCallEvent)),
  });
  rt.consume({
    name: "report-from-payment",
    source: "payment",
    handlers: handlersFor("payment", { RiderFeeSettled: onCallEvent }),
  });
  rt.consume({
    name: "report-from-order",
    source: "order",
    handlers: handlersFor("order", only(orderEventTypes, onOrderEvent)),
  });
  rt.consume({ name: "report-from-store", source: "store", handlers: handlersFor("store", {}) });
}
