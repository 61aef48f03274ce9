import {
  DeliveryEvents,
  eventRegistry,
  on,
  OrderEvents,
  PaymentEvents,
  type EventHandler,
} from "@baedal/events";
import type { ReportRuntime, ReportService, Tx } from "./service.js";

export type { ReportRuntime };

/**
 * Every event type `source` publishes goes into its order's history (customer service reads the
 * whole story of an order, whoever told it); `projected` overrides the types the report also
 * turns into rows (those handlers write the history line in the same statement).
 */
function historyOf(
  source: string,
  report: ReportService,
  projected: Record<string, EventHandler<Tx>> = {},
): Record<string, EventHandler<Tx>> {
  const history = [...eventRegistry.values()]
    .filter((def) => def.source === source)
    .map((def) => [def.type, on(def, (e, tx: Tx) => report.recordHistory(tx, e))] as const);
  return { ...Object.fromEntries(history), ...projected };
}

export function registerHandlers(rt: ReportRuntime, report: ReportService): void {
  rt.consume({
    name: "report-from-delivery",
    source: "delivery",
    handlers: historyOf("delivery", report, {
      RiderCallOpened: on(DeliveryEvents.RiderCallOpened, (e, tx) => report.projectCall(tx, e)),
      RiderCallAccepted: on(DeliveryEvents.RiderCallAccepted, (e, tx) => report.projectCall(tx, e)),
      RiderCallPickedUp: on(DeliveryEvents.RiderCallPickedUp, (e, tx) => report.projectCall(tx, e)),
      RiderCallCompleted: on(DeliveryEvents.RiderCallCompleted, (e, tx) => report.projectCall(tx, e)),
      RiderCallCancelled: on(DeliveryEvents.RiderCallCancelled, (e, tx) => report.projectCall(tx, e)),
    }),
  });
  rt.consume({
    name: "report-from-payment",
    source: "payment",
    handlers: historyOf("payment", report, {
      RiderFeeSettled: on(PaymentEvents.RiderFeeSettled, (e, tx) => report.projectCall(tx, e)),
    }),
  });
  rt.consume({
    name: "report-from-order",
    source: "order",
    handlers: historyOf("order", report, {
      OrderPlaced: on(OrderEvents.OrderPlaced, (e, tx) => report.projectOrder(tx, e)),
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) => report.projectOrder(tx, e)),
      OrderRefunded: on(OrderEvents.OrderRefunded, (e, tx) => report.projectOrder(tx, e)),
      OrderDelivered: on(OrderEvents.OrderDelivered, (e, tx) => report.projectOrder(tx, e)),
    }),
  });
  rt.consume({ name: "report-from-store", source: "store", handlers: historyOf("store", report) });
}
