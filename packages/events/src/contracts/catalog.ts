import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { freeText, krw, uuid } from "./common.js";

const source = "catalog";
const byShop = (d: { shopId: string }) => ({ orderId: null, key: d.shopId });
const byItem = (d: { menuItemId: string }) => ({ orderId: null, key: d.menuItemId });

export const ShopUpdated = defineEvent({
  type: "ShopUpdated",
  source,
  schema: z.object({
    shopId: uuid,
    ownerId: uuid,
    name: freeText(),
    category: freeText(),
    isOpen: z.boolean(),
    address: freeText(),
    minOrderKrw: krw,
    deliveryFeeKrw: krw,
  }),
  keyOf: byShop,
});

/** The customer-visible version of an item: published when first listed and when a change is approved. */
export const MenuItemListed = defineEvent({
  type: "MenuItemListed",
  source,
  schema: z.object({
    menuItemId: uuid,
    shopId: uuid,
    name: freeText(),
    priceKrw: krw,
    soldOut: z.boolean(),
    revision: z.number().int().positive(),
  }),
  keyOf: byItem,
});

export const MenuItemDelisted = defineEvent({
  type: "MenuItemDelisted",
  source,
  schema: z.object({ menuItemId: uuid, shopId: uuid }),
  keyOf: byItem,
});

export const MenuItemSoldOutChanged = defineEvent({
  type: "MenuItemSoldOutChanged",
  source,
  schema: z.object({ menuItemId: uuid, shopId: uuid, soldOut: z.boolean() }),
  keyOf: byItem,
});

export const MenuItemSubmittedForReview = defineEvent({
  type: "MenuItemSubmittedForReview",
  source,
  schema: z.object({
    menuItemId: uuid,
    shopId: uuid,
    revision: z.number().int().positive(),
    name: freeText(),
    description: freeText({ multiline: true }),
    priceKrw: krw,
    category: freeText(),
    imageUrl: freeText().nullable(),
  }),
  keyOf: byItem,
});

export const MenuItemReviewWithdrawn = defineEvent({
  type: "MenuItemReviewWithdrawn",
  source,
  schema: z.object({ menuItemId: uuid, shopId: uuid, revision: z.number().int().positive() }),
  keyOf: byItem,
});
