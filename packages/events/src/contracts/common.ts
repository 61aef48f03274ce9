import { z } from "zod";

export const uuid = z.string().uuid();
/** Money is integer Korean won, never a float. */
export const krw = z.number().int().nonnegative().max(100_000_000);
export const isoTime = z.string().datetime();

export const orderStatus = z.enum([
  "PAYMENT_PENDING",
  "PLACED",
  "ACCEPTED",
  "COOKING",
  "READY",
  "RIDER_ASSIGNED",
  "PICKED_UP",
  "DELIVERED",
  "CANCELLED",
]);
export type OrderStatus = z.infer<typeof orderStatus>;

export const orderLine = z.object({
  menuItemId: uuid,
  name: z.string(),
  unitPriceKrw: krw,
  quantity: z.number().int().positive(),
});
export type OrderLine = z.infer<typeof orderLine>;

export const cancelledBy = z.enum(["CUSTOMER", "SHOP", "ADMIN"]);
export type CancelledBy = z.infer<typeof cancelledBy>;
