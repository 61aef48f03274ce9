import { text } from "@baedal/events";
import { z } from "zod";
import { DomainError } from "../platform/errors.js";
import { Slot } from "../platform/runtime.js";
import { publicProcedure, roleProcedure, router } from "../platform/trpc.js";
import { shopCategories } from "./domain/shop.js";
import type { CatalogService } from "./service.js";

export const catalogService = new Slot<CatalogService>("catalog");

const id = z.string().uuid();
const name = text({ label: "Name", min: 1, max: 80 });
const priceKrw = z.number().int().min(100).max(1_000_000);
const description = text({ label: "Description", max: 500, multiline: true });
const itemCategory = text({ label: "Category", min: 1, max: 40 });
const imageUrl = text({ label: "Image URL", max: 500 })
  .refine((u) => URL.canParse(u), "Image URL must be a URL")
  .nullable();

/** A shop owner's procedures act on the owner's own shop only. */
const ownerProcedure = roleProcedure("SHOP_OWNER").use(({ ctx, next }) => {
  const shopId = ctx.actor.shopId;
  if (!shopId) throw new DomainError("FORBIDDEN", "Your account has no shop", "NO_SHOP");
  return next({ ctx: { ...ctx, shopId } });
});

export const catalogRouter = router({
  shops: publicProcedure
    .input(
      z
        .object({ category: z.enum(shopCategories).optional(), search: text({ label: "Search", max: 80 }).optional() })
        .strict()
        .optional(),
    )
    .query(({ input }) => catalogService.get().shops(input ?? {})),

  shop: publicProcedure
    .input(z.object({ shopId: id }).strict())
    .query(({ input }) => catalogService.get().shop(input.shopId)),

  myShop: ownerProcedure.query(({ ctx }) => catalogService.get().myShop(ctx.shopId)),

  myMenu: ownerProcedure.query(({ ctx }) => catalogService.get().myMenu(ctx.shopId)),

  /** The owner's shop and menu over SSE, sent again on every change (edits, review decisions, sold out). */
  myMenuLive: ownerProcedure
    .input(z.object({ lastEventId: z.string().regex(/^[0-9a-f]{1,40}$/).nullish() }).strict())
    .subscription(({ ctx, input, signal }) => catalogService.get().myMenuLive(ctx.shopId, input.lastEventId, signal)),

  createItem: ownerProcedure
    .input(
      z
        .object({
          name,
          description: description.default(""),
          priceKrw,
          category: itemCategory,
          imageUrl: imageUrl.default(null),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => catalogService.get().createItem(ctx.shopId, input)),

  updateItem: ownerProcedure
    .input(
      z
        .object({
          itemId: id,
          name: name.optional(),
          description: description.optional(),
          priceKrw: priceKrw.optional(),
          category: itemCategory.optional(),
          imageUrl: imageUrl.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input: { itemId, ...patch } }) =>
      catalogService.get().updateItem(ctx.shopId, itemId, patch),
    ),

  deleteItem: ownerProcedure
    .input(z.object({ itemId: id }).strict())
    .mutation(({ ctx, input }) => catalogService.get().deleteItem(ctx.shopId, input.itemId)),

  withdrawReview: ownerProcedure
    .input(z.object({ itemId: id }).strict())
    .mutation(({ ctx, input }) => catalogService.get().withdrawReview(ctx.shopId, input.itemId)),

  setSoldOut: ownerProcedure
    .input(z.object({ itemId: id, soldOut: z.boolean() }).strict())
    .mutation(({ ctx, input }) => catalogService.get().setSoldOut(ctx.shopId, input.itemId, input.soldOut)),

  setShopOpen: ownerProcedure
    .input(z.object({ isOpen: z.boolean() }).strict())
    .mutation(({ ctx, input }) => catalogService.get().setShopOpen(ctx.shopId, input.isOpen)),
});
