/** The checkout form's rules, the same as order.place's (so most mistakes are caught before sending). */
import { z } from "zod";

export const checkoutForm = z.object({
  address: z.string().trim().min(5, "address").max(200, "address"),
  phone: z
    .string()
    .trim()
    .regex(/^0\d{1,2}-?\d{3,4}-?\d{4}$/, "phone"),
  note: z.string().trim().max(200),
  cardNumber: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{12,19}$/, "card")),
});
export type CheckoutForm = z.input<typeof checkoutForm>;
export type CheckoutField = keyof CheckoutForm;

/** Groups card digits by four as they are typed: "4242 4242 4242 4242". */
export function formatCardNumber(raw: string): string {
  const digits = raw.replace(/\D/g, "").slice(0, 19);
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** The server's field names for the same inputs (order.place's fieldErrors). */
export const serverFieldNames: Record<string, CheckoutField> = {
  deliveryAddress: "address",
  phone: "phone",
  note: "note",
  cardNumber: "cardNumber",
};
