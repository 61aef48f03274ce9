import { z } from "zod";
import { text } from "../text.js";

export const uuid = z.string().uuid();
/** Money is integer Korean won, never a float. */
export const krw = z.number().int().nonnegative().max(100_000_000);
export const isoTime = z.string().datetime();
/**
 * Free text in a payload: the rule of every text input (no control characters, no lone
 * surrogates; line breaks only in multi-line text), taken as it is — it was trimmed and bounded
 * where it was typed.
 */
export const freeText = (o: { min?: number; multiline?: boolean } = {}) =>
  text({ label: "Text", trim: false, ...o });

/** An order exists once placed: the checkout before it is order's attempt, not an order status. */
export const orderStatus = z.enum([
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
  name: freeText(),
  unitPriceKrw: krw,
  quantity: z.number().int().positive(),
});
export type OrderLine = z.infer<typeof orderLine>;

export const cancelledBy = z.enum(["CUSTOMER", "SHOP", "ADMIN"]);
export type CancelledBy = z.infer<typeof cancelledBy>;
