import { paymentRpc, serveRpc } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { paymentRouter, paymentService } from "./router.js";
import { PaymentService } from "./service.js";

export const paymentContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "payment",
  Client: PrismaClient,
  router: paymentRouter,
  async setup(rt) {
    const service = new PaymentService(rt);
    paymentService.set(service);
    registerHandlers(rt, service);
    const subs = serveRpc(
      rt.messaging,
      "payment",
      paymentRpc,
      {
        authorize: (i, call) => service.authorize(i, call),
        voidAuthorizations: (i) => service.voidAuthorizations(i.orderIds),
        registerRiderFee: (i) => service.registerRiderFee(i),
        withdrawRiderFee: (i) => service.withdrawRiderFee(i),
        settleRiderFee: (i) => service.settleRiderFee(i),
      },
      (err) => rt.log.error({ err: String(err) }, "payment rpc failed"),
    );
    rt.onStop(async () => {
      for (const s of subs) s.unsubscribe();
      paymentService.set(undefined);
    });
  },
});
