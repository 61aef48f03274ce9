import { randomBytes } from "node:crypto";
import { text } from "@baedal/events";
import { z } from "zod";
import type { Actor } from "../platform/auth.js";
import { Slot } from "../platform/runtime.js";
import { DomainError } from "../platform/errors.js";
import { authedProcedure, router } from "../platform/trpc.js";
import type { PrismaClient } from "./generated/client.js";
import { listFor, markRead, removeWebhook, setWebhook, unreadCount } from "./adapters/repository.js";
import { refusedOnRegistration, refusedTarget } from "./adapters/webhook-target.js";

export const notificationServices = new Slot<{ db: PrismaClient }>("notification");
const db = () => notificationServices.get().db;

/** Whose notifications the actor reads: their own, and a shop owner's shop's too. */
export function recipientIds(actor: Actor): string[] {
  return actor.role === "SHOP_OWNER" && actor.shopId ? [actor.userId, actor.shopId] : [actor.userId];
}

const httpUrl = text({ label: "Webhook URL", min: 1, max: 2_000 })
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
    error: "Webhook URL must be an http(s) URL",
    abort: true,
  })
  .superRefine((u, ctx) => {
    const reason = refusedTarget(u);
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
      listFor(db(), recipientIds(ctx.actor), input?.unreadOnly ?? false, input?.limit ?? 50),
    ),

  unreadCount: authedProcedure.query(async ({ ctx }) => ({
    count: await unreadCount(db(), recipientIds(ctx.actor)),
  })),

  markRead: authedProcedure
    .input(z.object({ notificationIds: z.array(z.string().uuid()).min(1).max(500) }).strict())
    .mutation(async ({ ctx, input }) => ({
      updated: await markRead(db(), recipientIds(ctx.actor), input.notificationIds),
    })),

  markAllRead: authedProcedure.mutation(async ({ ctx }) => ({
    updated: await markRead(db(), recipientIds(ctx.actor)),
  })),

  /** Registers (or replaces) the actor's webhook; the returned secret signs every delivery. */
  setWebhook: authedProcedure.input(z.object({ url: httpUrl }).strict()).mutation(async ({ ctx, input }) => {
    // The name as it resolves now; every send judges the address it connects to again.
    const reason = await refusedOnRegistration(input.url);
    if (reason)
      throw new DomainError("BAD_REQUEST", `url must be a public address (${reason})`, "PRIVATE_TARGET");
    const secret = randomBytes(32).toString("hex");
    await setWebhook(db(), recipientIds(ctx.actor), input.url, secret);
    return { url: input.url, secret };
  }),

  removeWebhook: authedProcedure.mutation(async ({ ctx }) => ({
    removed: (await removeWebhook(db(), recipientIds(ctx.actor))) > 0,
  })),
});
