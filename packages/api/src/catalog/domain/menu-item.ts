import { CatalogEvents, createEvent, type EventEnvelope } from "@baedal/events";
import { DomainError, illegalTransition, notFound } from "../../platform/errors.js";
import type { Transition } from "../../platform/transition.js";

export const reviewStatuses = ["IN_REVIEW", "LISTED", "REJECTED", "WITHDRAWN"] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

/**
 * A menu item. `listedName`/`listedPriceKrw` are what customers see (null until the first
 * approval); `name`..`imageUrl` are the owner's current version, of which name and price need
 * platform review while description, category and image apply at once.
 */
export interface MenuItem {
  id: string;
  shopId: string;
  listedName: string | null;
  listedPriceKrw: number | null;
  name: string;
  description: string;
  priceKrw: number;
  category: string;
  imageUrl: string | null;
  revision: number;
  reviewStatus: ReviewStatus;
  rejectReason: string | null;
  soldOut: boolean;
  deletedAt: Date | null;
}

export interface ItemDraft {
  name: string;
  description: string;
  priceKrw: number;
  category: string;
  imageUrl: string | null;
}
export type ItemPatch = Partial<ItemDraft>;
/** A menu item's next state and the events it causes. */
export type MenuItemTransition = Transition<MenuItem>;

const same = (item: MenuItem): MenuItemTransition => ({ state: item, events: [] });
const isListed = (item: MenuItem) => item.listedName !== null && item.deletedAt === null;

const submitted = (s: MenuItem, causationId: string | null) =>
  createEvent(
    CatalogEvents.MenuItemSubmittedForReview,
    {
      menuItemId: s.id,
      shopId: s.shopId,
      revision: s.revision,
      name: s.name,
      description: s.description,
      priceKrw: s.priceKrw,
      category: s.category,
      imageUrl: s.imageUrl,
    },
    causationId,
  );

const withdrawn = (s: MenuItem, causationId: string | null) =>
  createEvent(
    CatalogEvents.MenuItemReviewWithdrawn,
    { menuItemId: s.id, shopId: s.shopId, revision: s.revision },
    causationId,
  );

const alive = (item: MenuItem) => {
  if (item.deletedAt) throw notFound("Menu item");
};

/** A new item: nothing is shown to customers until the platform approves revision 1. */
export function createMenuItem(id: string, shopId: string, draft: ItemDraft): MenuItemTransition {
  const state: MenuItem = {
    id,
    shopId,
    listedName: null,
    listedPriceKrw: null,
    ...draft,
    revision: 1,
    reviewStatus: "IN_REVIEW",
    rejectReason: null,
    soldOut: false,
    deletedAt: null,
  };
  return { state, events: [submitted(state, null)] };
}

/**
 * The owner changes the item. On a listed item a new name or price opens a new review
 * (revision + 1) while the listed version stays up; other fields apply at once. An item that was
 * never listed is under review as a whole, so any change re-submits it. A rejected or withdrawn
 * item is re-submitted by any change that touches its name or price. A review still open for an
 * older revision is withdrawn first.
 */
export function updateMenuItem(item: MenuItem, patch: ItemPatch): MenuItemTransition {
  alive(item);
  const next = { ...item, ...stripUndefined(patch) };
  const nameOrPriceChanged = next.name !== item.name || next.priceKrw !== item.priceKrw;
  const anyChanged =
    nameOrPriceChanged ||
    next.description !== item.description ||
    next.category !== item.category ||
    next.imageUrl !== item.imageUrl;
  const closed = item.reviewStatus === "REJECTED" || item.reviewStatus === "WITHDRAWN";
  const resubmit =
    (item.listedName !== null ? nameOrPriceChanged : anyChanged) ||
    (closed && (patch.name !== undefined || patch.priceKrw !== undefined));
  if (!resubmit) return anyChanged ? { state: next, events: [] } : same(item);

  const events: EventEnvelope[] = [];
  if (item.reviewStatus === "IN_REVIEW") events.push(withdrawn(item, null));
  const state: MenuItem = {
    ...next,
    revision: item.revision + 1,
    reviewStatus: "IN_REVIEW",
    rejectReason: null,
  };
  events.push(submitted(state, null));
  return { state, events };
}

/** The owner takes back the revision under review; the listed version (if any) stays up. */
export function withdrawReview(item: MenuItem): MenuItemTransition {
  alive(item);
  if (item.reviewStatus !== "IN_REVIEW")
    throw illegalTransition("Menu item", item.reviewStatus, "withdraw its review");
  const state: MenuItem = { ...item, reviewStatus: "WITHDRAWN" };
  return { state, events: [withdrawn(item, null)] };
}

/** The platform approved `revision`: it becomes the listed version. Stale decisions are ignored. */
export function approveRevision(
  item: MenuItem,
  revision: number,
  causationId: string | null = null,
): MenuItemTransition {
  if (item.deletedAt || item.reviewStatus !== "IN_REVIEW" || item.revision !== revision) return same(item);
  const state: MenuItem = {
    ...item,
    listedName: item.name,
    listedPriceKrw: item.priceKrw,
    reviewStatus: "LISTED",
    rejectReason: null,
  };
  const listed = createEvent(
    CatalogEvents.MenuItemListed,
    {
      menuItemId: state.id,
      shopId: state.shopId,
      name: item.name,
      priceKrw: item.priceKrw,
      soldOut: state.soldOut,
      revision,
    },
    causationId,
  );
  return { state, events: [listed] };
}

/**
 * An item brought in already approved (imported): its first revision submitted and listed at
 * once, with the MenuItemListed event of that approval (no submission goes to review).
 */
export function importListedItem(id: string, shopId: string, draft: ItemDraft): MenuItemTransition {
  return approveRevision(createMenuItem(id, shopId, draft).state, 1);
}

/** The platform rejected `revision`; a listed version (if any) stays up. Stale decisions are ignored. */
export function rejectRevision(
  item: MenuItem,
  revision: number,
  reason: string,
  _causationId: string | null = null,
): MenuItemTransition {
  if (item.deletedAt || item.reviewStatus !== "IN_REVIEW" || item.revision !== revision) return same(item);
  if (!reason.trim()) throw new DomainError("BAD_REQUEST", "A rejection needs a reason");
  return { state: { ...item, reviewStatus: "REJECTED", rejectReason: reason.trim() }, events: [] };
}

/** Sold-out applies at once; other contexts hear of it only for items they know (listed ones). */
export function setSoldOut(item: MenuItem, soldOut: boolean): MenuItemTransition {
  alive(item);
  if (item.soldOut === soldOut) return same(item);
  const state = { ...item, soldOut };
  const events = isListed(item)
    ? [
        createEvent(CatalogEvents.MenuItemSoldOutChanged, {
          menuItemId: item.id,
          shopId: item.shopId,
          soldOut,
        }),
      ]
    : [];
  return { state, events };
}

/** Deleting delists the item and closes an open review. */
export function deleteMenuItem(item: MenuItem, now: Date): MenuItemTransition {
  alive(item);
  const events: EventEnvelope[] = [];
  if (item.reviewStatus === "IN_REVIEW") events.push(withdrawn(item, null));
  if (item.listedName !== null) {
    events.push(createEvent(CatalogEvents.MenuItemDelisted, { menuItemId: item.id, shopId: item.shopId }));
  }
  const reviewStatus = item.reviewStatus === "IN_REVIEW" ? "WITHDRAWN" : item.reviewStatus;
  return { state: { ...item, reviewStatus, deletedAt: now }, events };
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
