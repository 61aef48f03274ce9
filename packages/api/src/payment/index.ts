import { paymentRpc, serveRpc } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { registerPaymentHandlers } from "./handlers.js";
import { paymentRouter, paymentSlot } from "./router.js";
import { PaymentService, type Tx } from "./service.js";

export const paymentContext = defineContext<PrismaClient, Tx>({
  name: "payment",
  Client: PrismaClient,
  router: paymentRouter,
  async setup(rt) {
    const payments = new PaymentService(rt);
    paymentSlot.set({ db: rt.db });
    registerPaymentHandlers(rt, payments);
    const subs = serveRpc(
      rt.messaging,
      "payment",
      paymentRpc,
      {
        authorize: (i, call) => payments.authorize(i, call),
        voidAuthorizations: (i) => payments.voidAuthorizations(i.orderIds),
        registerRiderFee: (i) => payments.registerRiderFee(i),
        withdrawRiderFee: (i) => payments.withdrawRiderFee(i),
        settleRiderFee: (i) => payments.settleRiderFee(i),
      },
      (err) => rt.log.error({ err: String(err) }, "payment rpc failed"),
    );
    rt.onStop(async () => {
      for (const s of subs) s.unsubscribe();
      paymentSlot.set(undefined);
    });
  },
});
