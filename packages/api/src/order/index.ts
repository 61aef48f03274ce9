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
    rt.every("reconcile-checkouts", 1_000, async () => {
      const closed = await checkout.reconcileWhenDue();
      if (closed) rt.log.info({ closed }, "closed or voided stale checkout attempts");
    });
    rt.onStop(() => {
      orderSlot.set(undefined);
      placeOrderLimits.detach();
    });
  },
});
