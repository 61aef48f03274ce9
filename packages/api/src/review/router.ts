import { text } from "@baedal/events";
import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { ReviewService } from "./service.js";

export const reviewService = new Slot<ReviewService>("review");

const admin = roleProcedure("ADMIN");

export const reviewRouter = router({
  queue: admin.query(() => reviewService.get().queue()),

  approve: admin
    .input(z.object({ reviewCaseId: z.string().uuid() }).strict())
    .mutation(({ ctx, input }) => reviewService.get().approve(input.reviewCaseId, ctx.actor.userId)),

  reject: admin
    .input(
      z
        .object({
          reviewCaseId: z.string().uuid(),
          reason: text({ label: "Reason", min: 1, max: 300, multiline: true }),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      reviewService.get().reject(input.reviewCaseId, ctx.actor.userId, input.reason),
    ),
});
