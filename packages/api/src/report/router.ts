import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { ReportService } from "./service.js";

export const reportService = new Slot<ReportService>("report");
const report = () => reportService.get();
const admin = roleProcedure("ADMIN");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

export const reportRouter = router({
  /** Rider calls, newest first, optionally within a range of (Seoul) days. */
  deliveries: admin
    .input(
      z
        .object({
          from: day.optional(),
          to: day.optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .strict(),
    )
    .query(({ input }) => report().deliveries(input)),

  /** Figures per Seoul day for the last `days` days, newest first. */
  daily: admin
    .input(z.object({ days: z.number().int().min(1).max(90) }).strict())
    .query(({ input }) => report().daily(input.days)),

  summary: admin.query(() => report().summary()),

  /** Customer service: everything the report heard about one order, from every source, oldest first. */
  orderHistory: admin
    .input(z.object({ orderId: z.string().uuid() }).strict())
    .query(({ input }) => report().orderHistory(input.orderId)),
});
