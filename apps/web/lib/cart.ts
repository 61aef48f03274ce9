"use client";
/**
 * The cart: one shop at a time, kept in localStorage so it survives a reload. Prices here are for
 * display; the order context prices the order again from its own copy of the menu.
 */
import { z } from "zod";
import { localStore } from "./local-store";

const cartLine = z.object({
  menuItemId: z.string().uuid(),
  name: z.string(),
  priceKrw: z.number().int().nonnegative(),
  quantity: z.number().int().min(1).max(50),
});
const cartSchema = z.object({
  shop: z
    .object({
      id: z.string().uuid(),
      name: z.string(),
      minOrderKrw: z.number().int().nonnegative(),
      deliveryFeeKrw: z.number().int().nonnegative(),
    })
    .nullable(),
  lines: z.array(cartLine),
});
export type Cart = z.infer<typeof cartSchema>;
export type CartLine = z.infer<typeof cartLine>;
export type CartShop = NonNullable<Cart["shop"]>;

const MAX_QUANTITY = 50;
const empty: Cart = { shop: null, lines: [] };

const cartStore = localStore("baedal.cart.v1", cartSchema, empty);
export const useCart = cartStore.use;

export function itemsTotal(cart: Cart): number {
  return cart.lines.reduce((sum, l) => sum + l.priceKrw * l.quantity, 0);
}
export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, l) => sum + l.quantity, 0);
}

/** True when adding from `shopId` would replace another shop's cart (the UI asks first). */
export function wouldSwitchShop(cart: Cart, shopId: string): boolean {
  return cart.shop !== null && cart.shop.id !== shopId && cart.lines.length > 0;
}

/** Adds `quantity` of an item; a different shop's cart is replaced (callers confirm first). */
export function addToCart(shop: CartShop, item: Omit<CartLine, "quantity">, quantity: number) {
  cartStore.set((cart) => {
    const base = cart.shop?.id === shop.id ? cart : { shop, lines: [] };
    const existing = base.lines.find((l) => l.menuItemId === item.menuItemId);
    const lines = existing
      ? base.lines.map((l) =>
          l.menuItemId === item.menuItemId ? { ...l, quantity: Math.min(MAX_QUANTITY, l.quantity + quantity) } : l,
        )
      : [...base.lines, { ...item, quantity: Math.min(MAX_QUANTITY, quantity) }];
    return { shop, lines };
  });
}

export function setQuantity(menuItemId: string, quantity: number) {
  cartStore.set((cart) => {
    const lines =
      quantity <= 0
        ? cart.lines.filter((l) => l.menuItemId !== menuItemId)
        : cart.lines.map((l) => (l.menuItemId === menuItemId ? { ...l, quantity: Math.min(MAX_QUANTITY, quantity) } : l));
    return lines.length ? { ...cart, lines } : empty;
  });
}

export function clearCart() {
  cartStore.set(empty);
}
