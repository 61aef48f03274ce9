import { LiveHub } from "@baedal/events";
import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { catalogRouter, catalogService } from "./router.js";
import { CatalogService } from "./service.js";

export const catalogContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "catalog",
  Client: PrismaClient,
  router: catalogRouter,
  async setup(rt) {
    const menuHub = new LiveHub(rt.messaging, "menu");
    menuHub.start();
    const service = new CatalogService(rt, menuHub);
    catalogService.set(service);
    registerHandlers(rt, service);
    rt.onStop(() => {
      menuHub.stop();
      catalogService.set(undefined);
    });
  },
});
