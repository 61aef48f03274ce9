import { OrderEvents, on } from "@baedal/events";
import type { PaymentRuntime, PaymentService } from "./service.js";

/** Payment reacts to one event: a cancelled order is refunded (exactly once). */
export function registerHandlers(rt: PaymentRuntime, payments: PaymentService) {
  rt.consume({
    name: "payment-from-order",
    source: "order",
    handlers: {
      OrderCancelled: on(OrderEvents.OrderCancelled, (e, tx) =>
        payments.onOrderCancelled(tx, e.data.orderId, e.id),
      ),
    },
  });
}
