import { quoteIdent } from "@baedal/events";
import { notFound } from "../../platform/errors.js";
import { reviewStatuses, type MenuItem, type ReviewStatus } from "../domain/menu-item.js";
import { shopCategories, type Shop, type ShopCategory } from "../domain/shop.js";
import type { Prisma, PrismaClient } from "../generated/client.js";

type Db = PrismaClient | Prisma.TransactionClient;
type ShopRow = NonNullable<Awaited<ReturnType<PrismaClient["shop"]["findUnique"]>>>;
type ItemRow = NonNullable<Awaited<ReturnType<PrismaClient["menuItem"]["findUnique"]>>>;

const oneOf = <T extends string>(all: readonly T[], v: string): T => {
  if (!(all as readonly string[]).includes(v)) throw new Error(`unexpected value ${v}`);
  return v as T;
};

const toShop = (r: ShopRow): Shop => ({
  id: r.id,
  ownerId: r.ownerId,
  name: r.name,
  category: oneOf<ShopCategory>(shopCategories, r.category),
  description: r.description,
  address: r.address,
  isOpen: r.isOpen,
  minOrderKrw: r.minOrderKrw,
  deliveryFeeKrw: r.deliveryFeeKrw,
  estDeliveryMinutes: r.estDeliveryMinutes,
});

const toItem = (r: ItemRow): MenuItem => ({
  id: r.id,
  shopId: r.shopId,
  listedName: r.listedName,
  listedPriceKrw: r.listedPriceKrw,
  name: r.name,
  description: r.description,
  priceKrw: r.priceKrw,
  category: r.category,
  imageUrl: r.imageUrl,
  revision: r.revision,
  reviewStatus: oneOf<ReviewStatus>(reviewStatuses, r.reviewStatus),
  rejectReason: r.rejectReason,
  soldOut: r.soldOut,
  deletedAt: r.deletedAt,
});

/** Customer-visible items: listed at least once and not deleted. */
const visibleItem = { listedName: { not: null }, deletedAt: null } satisfies Prisma.MenuItemWhereInput;

export class CatalogRepo {
  constructor(
    private readonly db: Db,
    private readonly schema: string,
  ) {}

  async shop(id: string): Promise<Shop | null> {
    const r = await this.db.shop.findUnique({ where: { id } });
    return r ? toShop(r) : null;
  }

  /** Shops (open ones first) by category and a search over shop names and listed item names. */
  async searchShops(q: { category?: ShopCategory; search?: string }): Promise<Shop[]> {
    const text = q.search?.trim();
    const rows = await this.db.shop.findMany({
      where: {
        category: q.category,
        ...(text
          ? {
              OR: [
                { name: { contains: text, mode: "insensitive" } },
                { items: { some: { ...visibleItem, listedName: { contains: text, mode: "insensitive" } } } },
              ],
            }
          : {}),
      },
      orderBy: [{ isOpen: "desc" }, { name: "asc" }],
      take: 200,
    });
    return rows.map(toShop);
  }

  async listedItems(shopId: string): Promise<MenuItem[]> {
    const rows = await this.db.menuItem.findMany({
      where: { shopId, ...visibleItem },
      orderBy: [{ category: "asc" }, { createdAt: "asc" }, { name: "asc" }],
    });
    return rows.map(toItem);
  }

  async allItems(shopId: string): Promise<MenuItem[]> {
    const rows = await this.db.menuItem.findMany({
      where: { shopId, deletedAt: null },
      orderBy: [{ createdAt: "asc" }, { name: "asc" }],
    });
    return rows.map(toItem);
  }

  /** Loads an item of `shopId` with a row lock (inside a transaction); another shop's item is NOT_FOUND. */
  async lockItem(id: string, shopId?: string): Promise<MenuItem | null> {
    await this.db.$executeRawUnsafe(
      `SELECT 1 FROM ${quoteIdent(this.schema)}.menu_items WHERE id = $1::uuid FOR UPDATE`,
      id,
    );
    const r = await this.db.menuItem.findUnique({ where: { id } });
    if (!r || (shopId !== undefined && r.shopId !== shopId)) return null;
    return toItem(r);
  }

  async ownedItem(id: string, shopId: string): Promise<MenuItem> {
    const item = await this.lockItem(id, shopId);
    if (!item || item.deletedAt) throw notFound("Menu item");
    return item;
  }

  async insertItem(item: MenuItem): Promise<void> {
    await this.db.menuItem.create({ data: item });
  }

  async saveItem(item: MenuItem): Promise<void> {
    const { id, shopId: _shopId, ...data } = item;
    await this.db.menuItem.update({ where: { id }, data });
  }

  async lockShop(id: string): Promise<Shop | null> {
    await this.db.$executeRawUnsafe(
      `SELECT 1 FROM ${quoteIdent(this.schema)}.shops WHERE id = $1::uuid FOR UPDATE`,
      id,
    );
    return this.shop(id);
  }

  async saveShop(shop: Shop): Promise<void> {
    const { id, ...data } = shop;
    await this.db.shop.update({ where: { id }, data });
  }

  /** Inserts the shops whose id is not there yet (the others are left as they are); returns the new ids. */
  async insertShopsIfAbsent(shops: Shop[]): Promise<Set<string>> {
    const rows = await this.db.shop.createManyAndReturn({
      data: shops,
      skipDuplicates: true,
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }

  /** Inserts the items whose id is not there yet (the others are left as they are); returns the new ids. */
  async insertItemsIfAbsent(items: MenuItem[]): Promise<Set<string>> {
    const rows = await this.db.menuItem.createManyAndReturn({
      data: items,
      skipDuplicates: true,
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }
}
