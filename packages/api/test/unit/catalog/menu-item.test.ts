import { describe, expect, it } from "vitest";
import {
  approveRevision,
  createMenuItem,
  deleteMenuItem,
  importListedItem,
  rejectRevision,
  setSoldOut,
  updateMenuItem,
  withdrawReview,
  type MenuItem,
} from "../../../src/catalog/domain/menu-item.js";
import { importShop, setShopOpen, type Shop } from "../../../src/catalog/domain/shop.js";
import { DomainError } from "../../../src/platform/errors.js";

const ITEM = "11111111-1111-4111-8111-111111111111";
const SHOP = "22222222-2222-4222-8222-222222222222";
const draft = {
  name: "광어회",
  description: "쫄깃한 광어",
  priceKrw: 32_000,
  category: "단품회",
  imageUrl: null,
};
const types = (t: { events: { type: string }[] }) => t.events.map((e) => e.type);

function listed(): MenuItem {
  return approveRevision(createMenuItem(ITEM, SHOP, draft).state, 1).state;
}

describe("menu item lifecycle", () => {
  it("a new item is in review and not visible until approved", () => {
    const t = createMenuItem(ITEM, SHOP, draft);
    expect(t.state).toMatchObject({
      reviewStatus: "IN_REVIEW",
      revision: 1,
      listedName: null,
      listedPriceKrw: null,
    });
    expect(types(t)).toEqual(["MenuItemSubmittedForReview"]);
    expect(t.events[0]!.data).toMatchObject({ menuItemId: ITEM, revision: 1, priceKrw: 32_000 });
  });

  it("approval lists the revision under review", () => {
    const t = approveRevision(
      createMenuItem(ITEM, SHOP, draft).state,
      1,
      "33333333-3333-4333-8333-333333333333",
    );
    expect(t.state).toMatchObject({ reviewStatus: "LISTED", listedName: "광어회", listedPriceKrw: 32_000 });
    expect(types(t)).toEqual(["MenuItemListed"]);
    expect(t.events[0]!.causationId).toBe("33333333-3333-4333-8333-333333333333");
  });

  it("a price change on a listed item opens a new review while the listed version stays up", () => {
    const t = updateMenuItem(listed(), { priceKrw: 35_000 });
    expect(t.state).toMatchObject({
      reviewStatus: "IN_REVIEW",
      revision: 2,
      priceKrw: 35_000,
      listedName: "광어회",
      listedPriceKrw: 32_000,
    });
    expect(types(t)).toEqual(["MenuItemSubmittedForReview"]);
    const approved = approveRevision(t.state, 2);
    expect(approved.state).toMatchObject({ reviewStatus: "LISTED", listedPriceKrw: 35_000 });
    expect(approved.events[0]!.data).toMatchObject({ priceKrw: 35_000, revision: 2 });
  });

  it("description, category and image changes on a listed item apply at once without review", () => {
    const t = updateMenuItem(listed(), {
      description: "오늘 잡은 광어",
      imageUrl: "https://img.example/a.jpg",
    });
    expect(t.state).toMatchObject({ reviewStatus: "LISTED", revision: 1, description: "오늘 잡은 광어" });
    expect(t.events).toEqual([]);
  });

  it("an unchanged update does nothing", () => {
    const item = listed();
    expect(updateMenuItem(item, { name: "광어회", priceKrw: 32_000 }).state).toBe(item);
  });

  it("changing an item still in review withdraws the old revision and submits a new one", () => {
    const t = updateMenuItem(createMenuItem(ITEM, SHOP, draft).state, { description: "새 설명" });
    expect(types(t)).toEqual(["MenuItemReviewWithdrawn", "MenuItemSubmittedForReview"]);
    expect(t.events[0]!.data).toMatchObject({ revision: 1 });
    expect(t.state.revision).toBe(2);
  });

  it("stale decisions (older revision) are ignored", () => {
    const t = updateMenuItem(listed(), { name: "광어회 (대)" });
    expect(approveRevision(t.state, 1)).toEqual({ state: t.state, events: [] });
    expect(rejectRevision(t.state, 1, "nope")).toEqual({ state: t.state, events: [] });
  });

  it("rejection keeps the listed version and records the reason", () => {
    const t = rejectRevision(updateMenuItem(listed(), { priceKrw: 99_000 }).state, 2, "가격 오기재");
    expect(t.state).toMatchObject({
      reviewStatus: "REJECTED",
      rejectReason: "가격 오기재",
      listedPriceKrw: 32_000,
    });
    const resubmitted = updateMenuItem(t.state, { priceKrw: 33_000 });
    expect(resubmitted.state).toMatchObject({ reviewStatus: "IN_REVIEW", revision: 3, rejectReason: null });
  });

  it("withdraw closes the review; withdrawing again is illegal", () => {
    const t = withdrawReview(createMenuItem(ITEM, SHOP, draft).state);
    expect(t.state.reviewStatus).toBe("WITHDRAWN");
    expect(types(t)).toEqual(["MenuItemReviewWithdrawn"]);
    expect(() => withdrawReview(t.state)).toThrow(DomainError);
    expect(() => withdrawReview(listed())).toThrow(/cannot withdraw/);
  });

  it("sold-out applies at once and is announced only for listed items", () => {
    expect(types(setSoldOut(listed(), true))).toEqual(["MenuItemSoldOutChanged"]);
    const unlisted = setSoldOut(createMenuItem(ITEM, SHOP, draft).state, true);
    expect(unlisted.state.soldOut).toBe(true);
    expect(unlisted.events).toEqual([]);
    const item = listed();
    expect(setSoldOut(item, false).state).toBe(item);
  });

  it("delete delists a listed item and closes an open review; a deleted item is gone", () => {
    const t = deleteMenuItem(updateMenuItem(listed(), { priceKrw: 40_000 }).state, new Date());
    expect(types(t)).toEqual(["MenuItemReviewWithdrawn", "MenuItemDelisted"]);
    expect(t.state.reviewStatus).toBe("WITHDRAWN");
    expect(() => updateMenuItem(t.state, { priceKrw: 1_000 })).toThrow(/not found/);
    expect(() => setSoldOut(t.state, true)).toThrow(DomainError);
    expect(approveRevision(t.state, t.state.revision).events).toEqual([]);
  });
});

describe("shop", () => {
  const shop: Shop = {
    id: SHOP,
    ownerId: ITEM,
    name: "바다회센터",
    category: "FISH",
    description: "",
    address: "서울 마포구",
    isOpen: true,
    minOrderKrw: 20_000,
    deliveryFeeKrw: 3_000,
    estDeliveryMinutes: 40,
  };
  it("opening and closing announces ShopUpdated; no change, no event", () => {
    const t = setShopOpen(shop, false);
    expect(t.state.isOpen).toBe(false);
    expect(types(t)).toEqual(["ShopUpdated"]);
    expect(t.events[0]!.data).toMatchObject({ shopId: SHOP, isOpen: false });
    expect(setShopOpen(shop, true).events).toEqual([]);
  });
});

describe("import (the demo data)", () => {
  it("an imported item is revision 1, listed, with only its MenuItemListed event", () => {
    const t = importListedItem(ITEM, SHOP, draft);
    expect(t.state).toEqual(listed());
    expect(t.state).toMatchObject({ reviewStatus: "LISTED", listedName: draft.name, revision: 1 });
    expect(types(t)).toEqual(["MenuItemListed"]);
  });

  it("an imported shop is announced with its ShopUpdated", () => {
    const shop: Shop = {
      id: SHOP,
      ownerId: ITEM,
      name: "바다회센터",
      category: "FISH",
      description: "회",
      address: "서울",
      isOpen: true,
      minOrderKrw: 20_000,
      deliveryFeeKrw: 3_000,
      estDeliveryMinutes: 40,
    };
    const t = importShop(shop);
    expect(t.state).toBe(shop);
    expect(types(t)).toEqual(["ShopUpdated"]);
  });
});
