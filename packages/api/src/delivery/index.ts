import { LiveHub, PaymentClient } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { deliveryRouter, deliveryService } from "./router.js";
import { DeliveryService } from "./service.js";

/** Rider calls and rider availability (Postgres schema "delivery"). */
export const deliveryContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "delivery",
  Client: PrismaClient,
  router: deliveryRouter,
  async setup(rt) {
    const hub = new LiveHub(rt.messaging, "rider");
    hub.start();
    const service = new DeliveryService(rt, new PaymentClient(rt.messaging), hub);
    deliveryService.set(service);
    registerHandlers(rt, service);
    rt.every("prune-rider-feed", 10 * 60_000, async () => {
      await service.pruneFeed();
    });
    rt.every("settle-pending", 5_000, async () => {
      await service.settlePending();
    });
    rt.onStop(() => {
      hub.stop();
      deliveryService.set(undefined);
    });
  },
});
