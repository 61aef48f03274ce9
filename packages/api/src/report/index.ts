import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { registerHandlers, type ReportRuntime } from "./handlers.js";
import { reportRouter, reportServices } from "./router.js";

/** The admin's delivery report: rider calls, fees, settlement and revenue by day (read model). */
export const reportContext = defineContext({
  name: "report",
  Client: PrismaClient,
  router: reportRouter,
  async setup(rt: ReportRuntime) {
    registerHandlers(rt);
    reportServices.set({ db: rt.db });
    rt.onStop(() => reportServices.set(undefined));
  },
});
