import { LiveHub } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { mypageRouter, mypageService } from "./router.js";
import { MypageService, type MypageRuntime } from "./service.js";

/** My page: the customer's read model of their orders and their live feed, built from events only. */
export const mypageContext = defineContext({
  name: "mypage",
  Client: PrismaClient,
  router: mypageRouter,
  async setup(rt: MypageRuntime) {
    const hub = new LiveHub(rt.messaging, "customer");
    hub.start();
    const service = new MypageService(rt, hub);
    rt.onStop(() => {
      hub.stop();
      mypageService.set(undefined);
    });
    registerHandlers(rt, service);
    rt.every("prune-customer-feeds", 10 * 60_000, async () => {
      await service.pruneFeed();
    });
    mypageService.set(service);
  },
});
