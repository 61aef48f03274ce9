import { LiveHub, PaymentClient } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { storeRouter, storeService } from "./router.js";
import { StoreService } from "./service.js";

/** Kitchen tickets per shop (Postgres schema "store") and each shop's live board. */
export const storeContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "store",
  Client: PrismaClient,
  router: storeRouter,
  async setup(rt) {
    const hub = new LiveHub(rt.messaging, "shop");
    hub.start();
    const service = new StoreService(rt, new PaymentClient(rt.messaging), hub);
    storeService.set(service);
    registerHandlers(rt, service);
    rt.every("prune-board-feed", 10 * 60_000, async () => {
      await service.pruneFeed();
    });
    rt.every("release-stale-rider-call-claims", 5_000, async () => {
      const released = await service.releaseStaleClaims();
      if (released) rt.log.info({ released }, "released stale rider call claims (fees withdrawn)");
    });
    rt.onStop(() => {
      hub.stop();
      storeService.set(undefined);
    });
  },
});
