import { z } from "zod";
import { notFound } from "../platform/errors.js";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { PrismaClient } from "./generated/client.js";

export const paymentSlot = new Slot<{ db: PrismaClient }>("payment");

/** Customer service view of an order's money: the payment and every ledger line. */
export const paymentRouter = router({
  byOrder: roleProcedure("ADMIN")
    .input(z.object({ orderId: z.string().uuid() }).strict())
    .query(async ({ input }) => {
      const { db } = paymentSlot.get();
      const payment = await db.payment.findUnique({ where: { orderId: input.orderId } });
      if (!payment) throw notFound("payment");
      const [ledger, riderFee, settlement] = await Promise.all([
        db.ledgerEntry.findMany({ where: { orderId: input.orderId }, orderBy: { createdAt: "asc" } }),
        db.riderFee.findUnique({ where: { orderId: input.orderId } }),
        db.settlement.findUnique({ where: { orderId: input.orderId } }),
      ]);
      return { payment, ledger, riderFee, settlement };
    }),
});
