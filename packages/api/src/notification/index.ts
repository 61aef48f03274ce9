import { defineContext } from "../platform/context-module.js";
import { PrismaClient } from "./generated/client.js";
import { WebhookSender } from "./adapters/webhook-sender.js";
import { registerHandlers, type NotificationRuntime } from "./handlers.js";
import { notificationRouter, notificationServices } from "./router.js";

/** Notifications per recipient (from order and delivery events) and their outbound webhooks. */
export const notificationContext = defineContext({
  name: "notification",
  Client: PrismaClient,
  router: notificationRouter,
  async setup(rt: NotificationRuntime) {
    registerHandlers(rt);
    const sender = new WebhookSender(rt.db);
    rt.every("webhooks", 1_000, async () => {
      await sender.tick();
    });
    notificationServices.set({ db: rt.db });
    rt.onStop(() => notificationServices.set(undefined));
  },
});
