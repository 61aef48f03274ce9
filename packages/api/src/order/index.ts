import { PaymentClient } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { placeOrderLimits } from "./limits.js";
import { orderRouter, orderService } from "./router.js";
import { OrderService } from "./service.js";

export const orderContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "order",
  Client: PrismaClient,
  router: orderRouter,
  async setup(rt) {
    const service = new OrderService(rt, new PaymentClient(rt.messaging));
    orderService.set(service);
    placeOrderLimits.attach(rt);
    registerHandlers(rt, service);
    rt.every("reconcile-checkouts", 1_000, async () => {
      const closed = await service.reconcileWhenDue();
      if (closed) rt.log.info({ closed }, "closed or voided stale checkout attempts");
    });
    rt.onStop(() => {
      orderService.set(undefined);
      placeOrderLimits.detach();
    });
  },
});
