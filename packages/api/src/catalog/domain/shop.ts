import { CatalogEvents, createEvent } from "@baedal/events";
import type { Transition } from "../../platform/transition.js";

export const shopCategories = ["FISH", "CHICKEN", "PIZZA", "KOREAN", "BURGER", "DESSERT"] as const;
export type ShopCategory = (typeof shopCategories)[number];

export interface Shop {
  id: string;
  ownerId: string;
  name: string;
  category: ShopCategory;
  description: string;
  address: string;
  isOpen: boolean;
  minOrderKrw: number;
  deliveryFeeKrw: number;
  estDeliveryMinutes: number;
}

/** The event every other context learns a shop from (on create and on every change). */
const shopUpdated = (s: Shop, causationId: string | null = null) =>
  createEvent(
    CatalogEvents.ShopUpdated,
    {
      shopId: s.id,
      ownerId: s.ownerId,
      name: s.name,
      category: s.category,
      isOpen: s.isOpen,
      address: s.address,
      minOrderKrw: s.minOrderKrw,
      deliveryFeeKrw: s.deliveryFeeKrw,
    },
    causationId,
  );

/** A shop brought in whole (imported): every other context learns it from its ShopUpdated. */
export function importShop(s: Shop): Transition<Shop> {
  return { state: s, events: [shopUpdated(s)] };
}

export function setShopOpen(shop: Shop, isOpen: boolean): Transition<Shop> {
  if (shop.isOpen === isOpen) return { state: shop, events: [] };
  const state = { ...shop, isOpen };
  return { state, events: [shopUpdated(state)] };
}
