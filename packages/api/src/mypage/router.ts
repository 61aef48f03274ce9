import { tracked } from "@trpc/server";
import { z } from "zod";
import type { LiveHub } from "@baedal/events";
import { notFound } from "../platform/errors.js";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { PrismaClient } from "./generated/client.js";
import { feedAfter, feedHead, findView, listViews } from "./adapters/repository.js";

export interface MypageServices {
  db: PrismaClient;
  hub: LiveHub;
}
export const mypageServices = new Slot<MypageServices>("mypage");

const customer = roleProcedure("CUSTOMER");

export const mypageRouter = router({
  /** The customer's orders, newest first. */
  orders: customer.query(({ ctx }) => listViews(mypageServices.get().db, ctx.actor.userId)),

  order: customer.input(z.object({ orderId: z.string().uuid() }).strict()).query(async ({ ctx, input }) => {
    const view = await findView(mypageServices.get().db, ctx.actor.userId, input.orderId);
    if (!view) throw notFound("order");
    return view;
  }),

  /**
   * The customer's one live stream (order changes, rider call changes, notifications). Each entry's id is its
   * feed seq: reconnecting with `lastEventId` replays exactly what was missed; without it only
   * changes from now on stream (the screen loads `orders()` first).
   */
  live: customer
    .input(z.object({ lastEventId: z.string().regex(/^\d+$/).nullish() }).strict())
    .subscription(async function* ({ ctx, input, signal }) {
      const { db, hub } = mypageServices.get();
      const customerId = ctx.actor.userId;
      let last = input.lastEventId != null ? Number(input.lastEventId) : await feedHead(db, customerId);
      for await (const _ of hub.wakeups(customerId, signal)) {
        for (;;) {
          const batch = await feedAfter(db, customerId, last);
          for (const e of batch) {
            last = e.seq;
            yield tracked(String(e.seq), { kind: e.kind, orderId: e.orderId, payload: e.payload });
          }
          if (batch.length === 0) break;
        }
      }
    }),
});
