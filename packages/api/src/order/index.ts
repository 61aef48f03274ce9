import { paymentRpc, RpcClient } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { placeOrderLimits } from "../platform/security/limits.js";
import { CheckoutSaga } from "./checkout-saga.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerOrderHandlers } from "./handlers.js";
import { OrderService } from "./order-service.js";
import { orderRouter, orderSlot } from "./router.js";

export const orderContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "order",
  Client: PrismaClient,
  router: orderRouter,
  async setup(rt) {
    const payment = new RpcClient(rt.messaging, "payment", paymentRpc);
    const checkout = new CheckoutSaga(rt, payment);
    const orders = new OrderService(rt);
    orderSlot.set({ db: rt.db, checkout, orders });
    placeOrderLimits.attach(rt);
    registerOrderHandlers(rt, orders);
    // Every 5 s when nothing is going on; every second while attempts were left open lately or
    // payment has just come back, so no card stays charged without an order for long after an outage.
    let nextRun = 0;
    payment.onRecovered(() => (nextRun = 0));
    rt.every("reconcile-checkouts", 1_000, async () => {
      if (Date.now() < nextRun && !checkout.reconcileSoon) return;
      nextRun = Date.now() + 5_000;
      const closed = await checkout.reconcile();
      if (closed) rt.log.info({ closed }, "closed or voided stale checkout attempts");
    });
    rt.onStop(() => {
      orderSlot.set(undefined);
      placeOrderLimits.detach();
    });
  },
});
