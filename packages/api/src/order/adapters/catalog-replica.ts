import type { MenuItemView, ShopView } from "../domain/checkout.js";
import type { PrismaClient } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";
import type { Tx } from "./repository.js";

/** Order's replica of the catalog, kept from catalog's events, so a cart is priced without calling catalog. */

/**
 * The shop and the menu items a cart names, as the replica has them now: one statement on every
 * checkout (two Prisma reads cost twice the round trips and ~1 ms of CPU more each).
 */
export async function catalogFor(
  db: PrismaClient,
  shopId: string,
  menuItemIds: string[],
): Promise<{ shop: ShopView | null; items: MenuItemView[] }> {
  const [row] = await db.$queryRawUnsafe<{ shop: ShopView | null; items: MenuItemView[] }[]>(
    `SELECT
       (SELECT json_build_object('shopId', shop_id, 'name', name, 'address', address, 'isOpen', is_open,
                                 'minOrderKrw', min_order_krw, 'deliveryFeeKrw', delivery_fee_krw)
          FROM ordering.shop_replicas WHERE shop_id = $1::uuid) AS shop,
       (SELECT coalesce(json_agg(json_build_object('menuItemId', menu_item_id, 'shopId', shop_id, 'name', name,
                                                   'priceKrw', price_krw, 'soldOut', sold_out, 'listed', listed)), '[]')
          FROM ordering.menu_item_replicas WHERE menu_item_id = ANY($2::uuid[])) AS items`,
    shopId,
    menuItemIds,
  );
  return { shop: row?.shop ?? null, items: row?.items ?? [] };
}

export interface ShopRow {
  shopId: string;
  ownerId: string;
  name: string;
  category: string;
  address: string;
  isOpen: boolean;
  minOrderKrw: number;
  deliveryFeeKrw: number;
  updatedAt: Date;
}

/** Replicas may see two updates out of order: the newer one wins. */
export async function saveShop(tx: Tx, { shopId, ...row }: ShopRow): Promise<void> {
  const { count } = await tx.shopReplica.updateMany({
    where: { shopId, updatedAt: { lte: row.updatedAt } },
    data: row,
  });
  if (count === 0) await insertOrSkip(tx, { schema: contextSchemas.order, name: "shop_replicas" }, [{ shopId, ...row }]);
}

export interface MenuItemRow {
  menuItemId: string;
  shopId: string;
  name: string;
  priceKrw: number;
  soldOut: boolean;
  revision: number;
}

/** A listed item; an older revision arriving late does not overwrite a newer one. */
export async function saveListedItem(tx: Tx, { menuItemId, ...item }: MenuItemRow): Promise<void> {
  const row = { ...item, listed: true };
  const existing = await tx.menuItemReplica.findUnique({ where: { menuItemId } });
  if (!existing) await tx.menuItemReplica.create({ data: { menuItemId, ...row } });
  else if (existing.revision <= item.revision)
    await tx.menuItemReplica.update({ where: { menuItemId }, data: row });
}

export async function delistItem(tx: Tx, menuItemId: string): Promise<void> {
  await tx.menuItemReplica.updateMany({ where: { menuItemId }, data: { listed: false } });
}

export async function setItemSoldOut(tx: Tx, menuItemId: string, soldOut: boolean): Promise<void> {
  await tx.menuItemReplica.updateMany({ where: { menuItemId }, data: { soldOut } });
}
