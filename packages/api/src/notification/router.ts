import { text } from "@baedal/events";
import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { authedProcedure, router } from "../platform/trpc.js";
import { webhookUrlRefusal, type NotificationService } from "./service.js";

export const notificationService = new Slot<NotificationService>("notification");
const notifications = () => notificationService.get();

const httpUrl = text({ label: "Webhook URL", min: 1, max: 2_000 })
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
    error: "Webhook URL must be an http(s) URL",
    abort: true,
  })
  .superRefine((u, ctx) => {
    const reason = webhookUrlRefusal(u);
    if (reason) ctx.addIssue({ code: "custom", message: `Webhook URL must be a public address (${reason})` });
  });

export const notificationRouter = router({
  list: authedProcedure
    .input(
      z
        .object({ unreadOnly: z.boolean().optional(), limit: z.number().int().min(1).max(200).optional() })
        .strict()
        .optional(),
    )
    .query(({ ctx, input }) =>
      notifications().list(ctx.actor, input?.unreadOnly ?? false, input?.limit ?? 50),
    ),

  unreadCount: authedProcedure.query(async ({ ctx }) => ({
    count: await notifications().unreadCount(ctx.actor),
  })),

  markRead: authedProcedure
    .input(z.object({ notificationIds: z.array(z.string().uuid()).min(1).max(500) }).strict())
    .mutation(async ({ ctx, input }) => ({
      updated: await notifications().markRead(ctx.actor, input.notificationIds),
    })),

  markAllRead: authedProcedure.mutation(async ({ ctx }) => ({
    updated: await notifications().markRead(ctx.actor),
  })),

  /** Registers (or replaces) the actor's webhook; the returned secret signs every delivery. */
  setWebhook: authedProcedure
    .input(z.object({ url: httpUrl }).strict())
    .mutation(({ ctx, input }) => notifications().setWebhook(ctx.actor, input.url)),

  removeWebhook: authedProcedure.mutation(async ({ ctx }) => ({
    removed: await notifications().removeWebhook(ctx.actor),
  })),
});
