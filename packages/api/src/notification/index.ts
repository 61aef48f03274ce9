import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { registerHandlers, type NotificationRuntime } from "./handlers.js";
import { notificationRouter, notificationService } from "./router.js";
import { NotificationService } from "./service.js";

/** Notifications per recipient (from order and delivery events) and their outbound webhooks. */
export const notificationContext = defineContext({
  name: "notification",
  Client: PrismaClient,
  router: notificationRouter,
  async setup(rt: NotificationRuntime) {
    const service = new NotificationService(rt.db);
    registerHandlers(rt, service);
    rt.every("webhooks", 1_000, async () => {
      await service.sendDueWebhooks();
    });
    notificationService.set(service);
    rt.onStop(() => notificationService.set(undefined));
  },
});
