import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { registerHandlers, type ReportRuntime } from "./handlers.js";
import { reportRouter, reportService } from "./router.js";
import { ReportService } from "./service.js";

/** The admin's delivery report: rider calls, fees, settlement and revenue by day (read model). */
export const reportContext = defineContext({
  name: "report",
  Client: PrismaClient,
  router: reportRouter,
  async setup(rt: ReportRuntime) {
    const service = new ReportService(rt.db);
    registerHandlers(rt, service);
    reportService.set(service);
    rt.onStop(() => reportService.set(undefined));
  },
});
