import {
  DeliveryEvents,
  on,
  OrderEvents,
  PaymentEvents,
  StoreEvents,
  type DeliveryEvent,
  type HandlersFor,
  type OrderEvent,
  type PaymentEvent,
  type StoreEvent,
} from "@baedal/events";
import type { ReportRuntime, ReportService, Tx } from "./service.js";

export type { ReportRuntime };

/**
 * Nobody waits on the report the way a customer waits on their order's screen: each consumer lets
 * the events of a tenth of a second gather and applies them in one transaction (a busy system's
 * report costs a few transactions a second instead of one per event).
 */
const gatherMs = 100;

/**
 * Every event of the four sources goes into its order's history (customer service reads the
 * whole story of an order, whoever told it): each consumer's handlers satisfy `HandlersFor` its
 * source, so a new event type does not compile until it is handled here. The types the report
 * also turns into rows are projected instead: those handlers write the history line in the same
 * statement.
 */
export function registerHandlers(rt: ReportRuntime, report: ReportService): void {
  rt.consume({
    name: "report-from-delivery",
    source: "delivery",
    gatherMs,
    handlers: {
      RiderCallOpened: on(DeliveryEvents.RiderCallOpened, (e, tx) => report.projectCall(tx, e)),
      RiderCallAccepted: on(DeliveryEvents.RiderCallAccepted, (e, tx) => report.projectCall(tx, e)),
      RiderCallPickedUp: on(DeliveryEvents.RiderCallPickedUp, (e, tx) => report.projectCall(tx, e)),
      RiderCallCompleted: on(DeliveryEvents.RiderCallCompleted, (e, tx) => report.projectCall(tx, e)),
      RiderCallCancelled: on(DeliveryEvents.RiderCallCancelled, (e, tx) => report.projectCall(tx, e)),
    } satisfies HandlersFor<DeliveryEvent, Tx>,
  });
  rt.consume({
    name: "report-from-payment",
    source: "payment",
    gatherMs,
    handlers: {
      RiderFeeSettled: on(PaymentEvents.RiderFeeSettled, (e, tx) => report.projectCall(tx, e)),
      PaymentRefunded: on(PaymentEvents.PaymentRefunded, (e, tx) => report.recordHistory(tx, e)),
      PaymentVoided: on(PaymentEvents.PaymentVoided, (e, tx) => report.recordHistory(tx, e)),
      RiderFeeRegistered: on(PaymentEvents.RiderFeeRegistered, (e, tx) => report.recordHistory(tx, e)),
      RiderFeeWithdrawn: on(PaymentEvents.RiderFeeWithdrawn, (e, tx) => report.recordHistory(tx, e)),
    } satisfies HandlersFor<PaymentEvent, Tx>,
  });
  rt.consume({
    name: "report-from-order",
    source: "order",
    gatherMs,
    handlers: {
      OrderPlaced: on(OrderEvents.OrderPlaced, (e, tx) => report.projectOrder(tx, e)),
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) => report.projectOrder(tx, e)),
      OrderRefunded: on(OrderEvents.OrderRefunded, (e, tx) => report.projectOrder(tx, e)),
      OrderDelivered: on(OrderEvents.OrderDelivered, (e, tx) => report.projectOrder(tx, e)),
      OrderAccepted: on(OrderEvents.OrderAccepted, (e, tx) => report.recordHistory(tx, e)),
      OrderCookingStarted: on(OrderEvents.OrderCookingStarted, (e, tx) => report.recordHistory(tx, e)),
      OrderReady: on(OrderEvents.OrderReady, (e, tx) => report.recordHistory(tx, e)),
      OrderRiderAssigned: on(OrderEvents.OrderRiderAssigned, (e, tx) => report.recordHistory(tx, e)),
      OrderPickedUp: on(OrderEvents.OrderPickedUp, (e, tx) => report.recordHistory(tx, e)),
    } satisfies HandlersFor<OrderEvent, Tx>,
  });
  rt.consume({
    name: "report-from-store",
    source: "store",
    gatherMs,
    handlers: {
      TicketAccepted: on(StoreEvents.TicketAccepted, (e, tx) => report.recordHistory(tx, e)),
      TicketRejected: on(StoreEvents.TicketRejected, (e, tx) => report.recordHistory(tx, e)),
      TicketCookingStarted: on(StoreEvents.TicketCookingStarted, (e, tx) => report.recordHistory(tx, e)),
      TicketReady: on(StoreEvents.TicketReady, (e, tx) => report.recordHistory(tx, e)),
      TicketCancelled: on(StoreEvents.TicketCancelled, (e, tx) => report.recordHistory(tx, e)),
      RiderCallRequested: on(StoreEvents.RiderCallRequested, (e, tx) => report.recordHistory(tx, e)),
    } satisfies HandlersFor<StoreEvent, Tx>,
  });
}
