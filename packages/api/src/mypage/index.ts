import { LiveHub } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { registerHandlers, type MypageRuntime } from "./handlers.js";
import { mypageRouter, mypageServices } from "./router.js";

/** My page: the customer's read model of their orders and their live feed, built from events only. */
export const mypageContext = defineContext({
  name: "mypage",
  Client: PrismaClient,
  router: mypageRouter,
  async setup(rt: MypageRuntime) {
    const hub = new LiveHub(rt.messaging, "customer");
    hub.start();
    rt.onStop(() => {
      hub.stop();
      mypageServices.set(undefined);
    });
    registerHandlers(rt, hub);
    mypageServices.set({ db: rt.db, hub });
  },
});
