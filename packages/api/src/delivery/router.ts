import { z } from "zod";
import { cursorPattern } from "../platform/live-feed.js";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { DeliveryService } from "./service.js";

export const deliveryService = new Slot<DeliveryService>("delivery");

const rider = roleProcedure("RIDER");
const byCall = z.object({ riderCallId: z.string().uuid() }).strict();

export const deliveryRouter = router({
  me: rider.query(({ ctx }) => deliveryService.get().me(ctx.actor)),

  setOnline: rider
    .input(z.object({ online: z.boolean() }).strict())
    .mutation(({ ctx, input }) => deliveryService.get().setOnline(ctx.actor, input.online)),

  openCalls: rider.query(() => deliveryService.get().openCalls()),

  accept: rider.input(byCall).mutation(({ ctx, input }) => deliveryService.get().accept(ctx.actor, input.riderCallId)),

  pickedUp: rider
    .input(byCall)
    .mutation(({ ctx, input }) => deliveryService.get().pickedUp(ctx.actor, input.riderCallId)),

  delivered: rider
    .input(byCall)
    .mutation(({ ctx, input }) => deliveryService.get().delivered(ctx.actor, input.riderCallId)),

  /**
   * The rider's live feed over SSE: a snapshot (open calls, the rider's calls today), then every
   * change to an open call (opened, taken, cancelled) and to the rider's own calls. Resumable:
   * reconnecting with `lastEventId` continues right after the last message.
   */
  live: rider
    .input(z.object({ lastEventId: z.string().regex(cursorPattern).nullish() }).strict())
    .subscription(({ ctx, input, signal }) => deliveryService.get().live(ctx.actor, input.lastEventId, signal)),

  myCalls: rider.query(({ ctx }) => deliveryService.get().myCalls(ctx.actor)),
});
