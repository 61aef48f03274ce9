import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { MypageService } from "./service.js";

export const mypageService = new Slot<MypageService>("mypage");

const customer = roleProcedure("CUSTOMER");

export const mypageRouter = router({
  /** The customer's orders, newest first. */
  orders: customer.query(({ ctx }) => mypageService.get().orders(ctx.actor.userId)),

  order: customer
    .input(z.object({ orderId: z.string().uuid() }).strict())
    .query(({ ctx, input }) => mypageService.get().order(ctx.actor.userId, input.orderId)),

  /** The customer's one live stream (order changes, rider call changes, notifications), resumable. */
  live: customer
    .input(z.object({ lastEventId: z.string().regex(/^\d+$/).nullish() }).strict())
    .subscription(({ ctx, input, signal }) =>
      mypageService.get().live(ctx.actor.userId, input.lastEventId, signal),
    ),
});
