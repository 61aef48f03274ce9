import { randomUUID } from "node:crypto";
import type { OrderStatus } from "@baedal/events";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/platform/errors.js";
import * as O from "../../../src/order/domain/order.js";
import { priceCheckout, type MenuItemView, type ShopView } from "../../../src/order/domain/checkout.js";

const draft = (): O.OrderDraft => ({
  shopId: randomUUID(),
  shopName: "바다회센터",
  shopAddress: "서울 마포구",
  lines: [{ menuItemId: randomUUID(), name: "모둠회 (대)", unitPriceKrw: 59000, quantity: 1 }],
  itemsTotalKrw: 59000,
  deliveryFeeKrw: 3000,
  totalKrw: 62000,
  deliveryAddress: "서울 마포구 월드컵북로 396",
  phone: "010-1234-5678",
  note: "",
});
const at = new Date("2026-11-21T12:00:00Z");
const placed = () => O.place(randomUUID(), randomUUID(), draft(), at).state;

function walk(to: OrderStatus): O.Order {
  let o = placed();
  const steps: [OrderStatus, (x: O.Order) => O.OrderTransition][] = [
    ["ACCEPTED", (x) => O.accept(x, 20, at, null)],
    ["COOKING", (x) => O.startCooking(x, at, null)],
    ["READY", (x) => O.markReady(x, at, null)],
    [
      "RIDER_ASSIGNED",
      (x) =>
        O.assignRider(
          x,
          { riderCallId: randomUUID(), riderId: randomUUID(), riderName: "박라이더" },
          at,
          null,
        ),
    ],
    ["PICKED_UP", (x) => O.pickUp(x, at, null)],
    ["DELIVERED", (x) => O.deliver(x, at, null)],
  ];
  for (const [status, step] of steps) {
    if (o.status === to) break;
    o = step(o).state;
    expect(o.status).toBe(status);
  }
  return o;
}

describe("order aggregate", () => {
  it("placing emits OrderPlaced with seq 1 and the price snapshot", () => {
    const t = O.place(randomUUID(), randomUUID(), draft(), at);
    expect(t.state).toMatchObject({ status: "PLACED", seq: 1, totalKrw: 62000 });
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({
      type: "OrderPlaced",
      orderId: t.state.id,
      data: { seq: 1, totalKrw: 62000 },
    });
  });

  it("each step bumps seq by one and carries the status it reached", () => {
    const o = walk("DELIVERED");
    expect(o.seq).toBe(7);
    const accepted = O.accept(placed(), 30, at, "c0ffee00-0000-4000-8000-000000000000");
    expect(accepted.state.etaAt?.toISOString()).toBe("2026-11-21T12:30:00.000Z");
    expect(accepted.events[0]).toMatchObject({
      type: "OrderAccepted",
      causationId: "c0ffee00-0000-4000-8000-000000000000",
      data: { status: "ACCEPTED", seq: 2, prepMinutes: 30 },
    });
  });

  it("illegal transitions throw a typed error", () => {
    expect(() => O.startCooking(placed(), at, null)).toThrow(DomainError);
    expect(() => O.deliver(walk("READY"), at, null)).toThrow(/cannot mark delivered/);
  });

  it("customer may cancel in PLACED and ACCEPTED only; the refund is the whole total", () => {
    for (const s of ["PLACED", "ACCEPTED"] as const) {
      const t = O.cancel(walk(s), "CUSTOMER", "changed my mind", at, null);
      expect(t.state.status).toBe("CANCELLED");
      expect(t.events[0]).toMatchObject({
        type: "OrderCancelled",
        data: { cancelledBy: "CUSTOMER", refundKrw: 62000 },
      });
    }
    for (const s of ["COOKING", "READY", "RIDER_ASSIGNED", "PICKED_UP", "DELIVERED"] as const) {
      const err = (() => {
        try {
          O.cancel(walk(s), "CUSTOMER", "x", at, null);
        } catch (e) {
          return e as DomainError;
        }
      })();
      expect(err?.reason).toBe("CANCEL_NOT_ALLOWED");
    }
  });

  it("admin may cancel any state before pickup; the shop only a new order", () => {
    for (const s of ["PLACED", "ACCEPTED", "COOKING", "READY", "RIDER_ASSIGNED"] as const) {
      expect(O.cancel(walk(s), "ADMIN", "CS", at, null).state.status).toBe("CANCELLED");
    }
    expect(() => O.cancel(walk("PICKED_UP"), "ADMIN", "CS", at, null)).toThrow(DomainError);
    expect(() => O.cancel(walk("ACCEPTED"), "SHOP", "no fish", at, null)).toThrow(DomainError);
  });

  it("a refund is recorded once, only on a cancelled order", () => {
    const c = O.cancel(placed(), "CUSTOMER", "x", at, null).state;
    const r = O.markRefunded(c, 62000, at, null);
    expect(r.state).toMatchObject({ status: "CANCELLED", refundedKrw: 62000, seq: c.seq + 1 });
    expect(() => O.markRefunded(r.state, 62000, at, null)).toThrow(DomainError);
    expect(() => O.markRefunded(placed(), 1, at, null)).toThrow(DomainError);
  });

  it("saga verdicts: apply when expected, ignore when past or cancelled, retry when behind", () => {
    expect(O.verdictFor(walk("PLACED"), "PLACED")).toBe("apply");
    expect(O.verdictFor(walk("COOKING"), "PLACED")).toBe("ignore");
    expect(O.verdictFor(O.cancel(placed(), "ADMIN", "x", at, null).state, "READY")).toBe("ignore");
    expect(O.verdictFor(walk("PLACED"), "ACCEPTED")).toBe("retry");
    expect(O.verdictFor(null, "PLACED")).toBe("retry");
  });
});

describe("pricing a cart", () => {
  const shop: ShopView = {
    shopId: randomUUID(),
    name: "바다회센터",
    address: "서울",
    isOpen: true,
    minOrderKrw: 20000,
    deliveryFeeKrw: 3000,
  };
  const item = (over: Partial<MenuItemView> = {}): MenuItemView => ({
    menuItemId: randomUUID(),
    shopId: shop.shopId,
    name: "광어회",
    priceKrw: 32000,
    soldOut: false,
    listed: true,
    ...over,
  });
  const req = (items: MenuItemView[], qty = 1) => ({
    shopId: shop.shopId,
    lines: items.map((i) => ({ menuItemId: i.menuItemId, quantity: qty })),
    deliveryAddress: "서울 마포구",
    phone: "010-1234-5678",
    note: "",
  });
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as DomainError).reason;
    }
  };

  it("snapshots listed prices and adds the delivery fee in integer won", () => {
    const a = item();
    const b = item({ name: "매운탕", priceKrw: 15000 });
    const d = priceCheckout(req([a, b], 2), shop, [a, b]);
    expect(d.itemsTotalKrw).toBe(94000);
    expect(d.totalKrw).toBe(97000);
    expect(d.lines.map((l) => l.unitPriceKrw)).toEqual([32000, 15000]);
  });

  it("refuses closed shops, unlisted, foreign and sold-out items, and carts under the minimum", () => {
    const a = item();
    expect(reason(() => priceCheckout(req([a]), { ...shop, isOpen: false }, [a]))).toBe("SHOP_CLOSED");
    expect(reason(() => priceCheckout(req([a]), null, [a]))).toBe("SHOP_NOT_FOUND");
    expect(reason(() => priceCheckout(req([a]), shop, [{ ...a, listed: false }]))).toBe("ITEM_UNAVAILABLE");
    expect(reason(() => priceCheckout(req([a]), shop, [{ ...a, shopId: randomUUID() }]))).toBe(
      "ITEM_UNAVAILABLE",
    );
    expect(reason(() => priceCheckout(req([a]), shop, [{ ...a, soldOut: true }]))).toBe("ITEM_SOLD_OUT");
    const cheap = item({ priceKrw: 9000 });
    expect(reason(() => priceCheckout(req([cheap]), shop, [cheap]))).toBe("BELOW_MINIMUM_ORDER");
  });
});
