import { text } from "@baedal/events";
import { z } from "zod";
import { Slot } from "../platform/runtime.js";
import { authedProcedure, roleProcedure, router } from "../platform/trpc.js";
import { placeOrderLimits } from "./limits.js";
import type { OrderService } from "./service.js";

export const orderService = new Slot<OrderService>("order");

const uuid = z.string().uuid();
const cardNumber = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{12,19}$/, "Enter the card number as 12 to 19 digits"));

const placeOrderInput = z
  .object({
    idempotencyKey: text({ label: "Idempotency key", min: 8, max: 100, trim: false }),
    shopId: uuid,
    lines: z
      .array(z.object({ menuItemId: uuid, quantity: z.number().int().min(1).max(50) }).strict())
      .min(1, "Your cart is empty")
      .max(30),
    deliveryAddress: text({
      label: "Delivery address",
      min: 5,
      max: 200,
      minMessage: "Enter a delivery address",
    }),
    phone: z
      .string()
      .trim()
      .regex(/^0\d{1,2}-?\d{3,4}-?\d{4}$/, "Enter a phone number like 010-1234-5678"),
    note: text({ label: "Note", max: 200, multiline: true }).default(""),
    cardNumber,
  })
  .strict();

export const orderRouter = router({
  place: roleProcedure("CUSTOMER")
    .input(placeOrderInput)
    .mutation(({ ctx, input }) =>
      orderService
        .get()
        .placeOrder({ ...input, customerId: ctx.actor.userId }, () => placeOrderLimits.consume(ctx, input)),
    ),

  get: authedProcedure
    .input(z.object({ orderId: uuid }).strict())
    .query(({ ctx, input }) => orderService.get().orderFor(ctx.actor, input.orderId)),

  cancel: roleProcedure("CUSTOMER")
    .input(
      z
        .object({
          orderId: uuid,
          reason: text({ label: "Reason", max: 200 }).default("Cancelled by customer"),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const o = await orderService.get().cancelByCustomer(input.orderId, ctx.actor.userId, input.reason);
      return { orderId: o.id, status: o.status };
    }),

  adminCancel: roleProcedure("ADMIN")
    .input(
      z
        .object({
          orderId: uuid,
          reason: text({
            label: "Reason",
            min: 1,
            max: 200,
            multiline: true,
            minMessage: "A reason is required",
          }),
        })
        .strict(),
    )
    .mutation(async ({ input }) => {
      const o = await orderService.get().cancelByAdmin(input.orderId, input.reason);
      return { orderId: o.id, status: o.status };
    }),

  /** Customer service search by order id or phone number. */
  adminFind: roleProcedure("ADMIN")
    .input(
      z
        .object({ orderId: uuid.optional(), phone: text({ label: "Phone", min: 4, max: 20 }).optional() })
        .strict(),
    )
    .query(async ({ input }) => {
      if (input.orderId) return orderService.get().findForSupport({ orderId: input.orderId });
      if (input.phone) return orderService.get().findForSupport({ phone: input.phone });
      return [];
    }),
});
