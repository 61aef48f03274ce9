import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { roleProcedure, router } from "../platform/trpc.js";
import type { PaymentService } from "./service.js";

export const paymentService = new Slot<PaymentService>("payment");

/** Customer service view of an order's money: the payment and every ledger line. */
export const paymentRouter = router({
  byOrder: roleProcedure("ADMIN")
    .input(z.object({ orderId: z.string().uuid() }).strict())
    .query(({ input }) => paymentService.get().byOrder(input.orderId)),
});
