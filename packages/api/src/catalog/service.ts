import { randomUUID } from "node:crypto";
import type { EventEnvelope, LiveHub } from "@baedal/events";
import { DomainError, notFound } from "../platform/errors.js";
import { followState } from "../platform/live-feed.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { CatalogRepo } from "./adapters/repository.js";
import {
  createMenuItem,
  deleteMenuItem,
  importListedItem,
  setSoldOut,
  updateMenuItem,
  withdrawReview,
  type ItemDraft,
  type ItemPatch,
  type MenuItem,
  type MenuItemTransition,
} from "./domain/menu-item.js";
import { importShop, setShopOpen, type Shop, type ShopCategory } from "./domain/shop.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

export type { Shop, ShopCategory } from "./domain/shop.js";

type Tx = Prisma.TransactionClient;
export type CatalogRuntime = ContextRuntime<PrismaClient, Tx>;

/** What a customer sees of an item: the listed (approved) name and price. */
export interface PublicItem {
  id: string;
  name: string;
  priceKrw: number;
  description: string;
  category: string;
  imageUrl: string | null;
  soldOut: boolean;
  /** False when sold out or the shop is closed: customers cannot order it now. */
  available: boolean;
}

const publicItem = (shop: Shop, i: MenuItem): PublicItem => ({
  id: i.id,
  name: i.listedName ?? i.name,
  priceKrw: i.listedPriceKrw ?? i.priceKrw,
  description: i.description,
  category: i.category,
  imageUrl: i.imageUrl,
  soldOut: i.soldOut,
  available: shop.isOpen && !i.soldOut,
});

export class CatalogService {
  private readonly repo: CatalogRepo;
  constructor(
    private readonly rt: CatalogRuntime,
    /**
     * Wakes the owner's open menu screens (key: shop id) after a change committed. Absent when the
     * service runs outside its process (the seed's import): no screen to wake, no live menu.
     */
    private readonly menuHub?: LiveHub,
  ) {
    this.repo = new CatalogRepo(rt.db, rt.schema);
  }

  /**
   * The owner's menu screen, live: the shop and every item with its review status, sent again
   * whenever it changed (an edit, a review decision, sold out, open/closed).
   */
  myMenuLive(shopId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    if (!this.menuHub) {
      throw new DomainError("SERVICE_UNAVAILABLE", "catalog's live menu does not run here");
    }
    return followState({
      hub: this.menuHub,
      wakeKey: shopId,
      lastEventId,
      signal,
      read: async () => ({ shop: await this.myShop(shopId), items: await this.myMenu(shopId) }),
    });
  }

  /** Wakes the shop's menu screens; call after commit. */
  menuChanged(shopId: string): void {
    this.menuHub?.ping(shopId);
  }

  shops(q: { category?: ShopCategory; search?: string }): Promise<Shop[]> {
    return this.repo.searchShops(q);
  }

  async shop(shopId: string): Promise<Shop & { items: PublicItem[] }> {
    const shop = await this.repo.shop(shopId);
    if (!shop) throw notFound("Shop");
    const items = await this.repo.listedItems(shopId);
    return { ...shop, items: items.map((i) => publicItem(shop, i)) };
  }

  async myShop(shopId: string): Promise<Shop> {
    const shop = await this.repo.shop(shopId);
    if (!shop) throw notFound("Shop");
    return shop;
  }

  myMenu(shopId: string): Promise<MenuItem[]> {
    return this.repo.allItems(shopId);
  }

  async setShopOpen(shopId: string, isOpen: boolean): Promise<Shop> {
    return this.afterwardsPing(shopId, this.rt.uow.run(async (tx) => {
      const repo = new CatalogRepo(tx, this.rt.schema);
      const shop = await repo.lockShop(shopId);
      if (!shop) throw notFound("Shop");
      const { state, events } = setShopOpen(shop, isOpen);
      if (events.length) await repo.saveShop(state);
      return { result: state, events };
    }));
  }

  async createItem(shopId: string, draft: ItemDraft): Promise<MenuItem> {
    return this.afterwardsPing(shopId, this.rt.uow.run(async (tx) => {
      const repo = new CatalogRepo(tx, this.rt.schema);
      if (!(await repo.shop(shopId))) throw notFound("Shop");
      const { state, events } = createMenuItem(randomUUID(), shopId, draft);
      await repo.insertItem(state);
      return { result: state, events };
    }));
  }

  /** Loads the owner's item under a lock, applies a transition and stores it with its events. */
  private change(
    shopId: string,
    itemId: string,
    transition: (item: MenuItem) => MenuItemTransition,
  ): Promise<MenuItem> {
    return this.afterwardsPing(shopId, this.rt.uow.run(async (tx) => {
      const repo = new CatalogRepo(tx, this.rt.schema);
      const item = await repo.ownedItem(itemId, shopId);
      const { state, events } = transition(item);
      if (state !== item) await repo.saveItem(state);
      return { result: state, events: events as EventEnvelope[] };
    }));
  }

  private async afterwardsPing<T>(shopId: string, committed: Promise<T>): Promise<T> {
    const result = await committed;
    this.menuChanged(shopId);
    return result;
  }

  updateItem(shopId: string, itemId: string, patch: ItemPatch) {
    if (Object.values(patch).every((v) => v === undefined))
      throw new DomainError("BAD_REQUEST", "Nothing to change");
    return this.change(shopId, itemId, (item) => updateMenuItem(item, patch));
  }

  withdrawReview(shopId: string, itemId: string) {
    return this.change(shopId, itemId, withdrawReview);
  }

  setSoldOut(shopId: string, itemId: string, soldOut: boolean) {
    return this.change(shopId, itemId, (item) => setSoldOut(item, soldOut));
  }

  async deleteItem(shopId: string, itemId: string): Promise<{ deleted: true }> {
    await this.change(shopId, itemId, (item) => deleteMenuItem(item, new Date()));
    return { deleted: true };
  }

  /**
   * A review decision (review's event `eventId`) applied to its menu item under a lock; a stale
   * decision changes nothing, and one for an unknown item is ignored. The shop's menu screens
   * show a change once the transaction commits.
   */
  async decideReview(
    tx: Tx,
    menuItemId: string,
    transition: (item: MenuItem) => MenuItemTransition,
  ): Promise<EventEnvelope[]> {
    const repo = new CatalogRepo(tx, this.rt.schema);
    const item = await repo.lockItem(menuItemId);
    if (!item) {
      this.rt.log.warn({ menuItemId }, "review decision for an unknown menu item; ignored");
      return [];
    }
    const { state, events } = transition(item);
    if (state !== item) {
      await repo.saveItem(state);
      this.rt.uow.afterCommit(tx, () => this.menuChanged(item.shopId));
    }
    return events;
  }

  /**
   * Brings in shops and items that are already listed (the demo data), idempotently: a shop or item
   * whose id exists is left as it is and emits nothing, so running it again changes nothing. The
   * new ones' ShopUpdated and MenuItemListed go out through the outbox with them. Returns how many
   * were new.
   */
  importListed(
    shops: Shop[],
    items: { id: string; shopId: string; draft: ItemDraft }[],
  ): Promise<{ shops: number; items: number }> {
    return this.rt.uow.run(async (tx) => {
      const repo = new CatalogRepo(tx, this.rt.schema);
      const newShops = shops.map(importShop);
      const newItems = items.map((i) => importListedItem(i.id, i.shopId, i.draft));
      const shopIds = await repo.insertShopsIfAbsent(newShops.map((t) => t.state));
      const itemIds = await repo.insertItemsIfAbsent(newItems.map((t) => t.state));
      const events = [
        ...newShops.filter((t) => shopIds.has(t.state.id)).flatMap((t) => t.events),
        ...newItems.filter((t) => itemIds.has(t.state.id)).flatMap((t) => t.events),
      ];
      return { result: { shops: shopIds.size, items: itemIds.size }, events };
    });
  }
}
