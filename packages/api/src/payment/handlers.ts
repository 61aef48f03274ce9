import type { PaymentRuntime, PaymentService } from "./service.js";

/** Payment reacts to one event: a cancelled order is refunded (exactly once). */
export function registerPaymentHandlers(rt: PaymentRuntime, payments: PaymentService) {
  rt.consume({
    name: "payment-from-order",
    source: "order",
    handlers: {
      OrderCancelled: (event, tx) => payments.onOrderCancelled(tx, event.orderId!, event.id),
    },
  });
}
