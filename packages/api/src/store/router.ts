import { text } from "@baedal/events";
import { z } from "zod";
import type { Actor } from "../platform/auth.js";
import { DomainError } from "../platform/errors.js";
import { cursorPattern } from "../platform/live-feed.js";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import { PREP_MINUTES, RIDER_FEE_KRW } from "./domain/ticket.js";
import type { StoreService } from "./service.js";

export const storeService = new Slot<StoreService>("store");

const shopOwner = roleProcedure("SHOP_OWNER");
const ticketId = z.string().uuid();
const byTicket = z.object({ ticketId }).strict();

/** The caller's shop; an owner without one has nothing to see. */
function shopOf(actor: Actor): string {
  if (!actor.shopId) throw new DomainError("FORBIDDEN", "Your account is not linked to a shop", "NO_SHOP");
  return actor.shopId;
}

export const storeRouter = router({
  board: shopOwner.query(({ ctx }) => storeService.get().board(shopOf(ctx.actor))),

  /**
   * The shop's live board over SSE: first a snapshot of the board, then every ticket change as
   * the ticket's new state. Each message's id is a cursor; reconnecting with `lastEventId`
   * (the browser does this itself) resumes right after it without missing a change.
   */
  live: shopOwner
    .input(z.object({ lastEventId: z.string().regex(cursorPattern).nullish() }).strict())
    .subscription(({ ctx, input, signal }) =>
      storeService.get().live(shopOf(ctx.actor), input.lastEventId, signal),
    ),

  ticket: shopOwner
    .input(byTicket)
    .query(({ ctx, input }) => storeService.get().ticket(shopOf(ctx.actor), input.ticketId)),

  accept: shopOwner
    .input(
      z
        .object({ ticketId, prepMinutes: z.number().int().min(PREP_MINUTES.min).max(PREP_MINUTES.max) })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      storeService.get().accept(shopOf(ctx.actor), input.ticketId, input.prepMinutes),
    ),

  reject: shopOwner
    .input(
      z.object({ ticketId, reason: text({ label: "Reason", min: 1, max: 200, multiline: true }) }).strict(),
    )
    .mutation(({ ctx, input }) => storeService.get().reject(shopOf(ctx.actor), input.ticketId, input.reason)),

  startCooking: shopOwner
    .input(byTicket)
    .mutation(({ ctx, input }) => storeService.get().startCooking(shopOf(ctx.actor), input.ticketId)),

  markReady: shopOwner
    .input(byTicket)
    .mutation(({ ctx, input }) => storeService.get().markReady(shopOf(ctx.actor), input.ticketId)),

  callRider: shopOwner
    .input(
      z
        .object({
          ticketId,
          destination: text({ label: "Destination", min: 1, max: 300 }).optional(),
          feeKrw: z.number().int().min(RIDER_FEE_KRW.min).max(RIDER_FEE_KRW.max),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => storeService.get().callRider(shopOf(ctx.actor), input)),
});
