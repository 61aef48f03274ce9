/** Who the driver acts as, and what it orders: the seeded demo shops and their owners. */
import { randomBytes, randomUUID } from "node:crypto";
import { demoId, demoShops, type Actor } from "@baedal/api/testing";

export interface ShopOrder {
  shopId: string;
  owner: Actor;
  lines: { menuItemId: string; quantity: number }[];
}

/**
 * One cart per open demo shop: its dearest item, enough of it to pass the minimum order. Orders
 * go round-robin over the shops, as a city's orders spread over its kitchens.
 */
export const shopOrders: ShopOrder[] = demoShops
  .filter((s) => s.isOpen)
  .map((s) => {
    const item = [...s.items].sort((a, b) => b.priceKrw - a.priceKrw)[0]!;
    const quantity = Math.max(1, Math.ceil(s.minOrderKrw / item.priceKrw));
    const shopId = demoId(`shop:${s.key}`);
    return {
      shopId,
      owner: { userId: demoId(`user:${s.owner.email}`), role: "SHOP_OWNER", name: s.owner.name, shopId },
      lines: [{ menuItemId: demoId(`item:${s.key}:${item.name}`), quantity }],
    };
  });

export const newCustomer = (): Actor => ({
  userId: randomUUID(),
  role: "CUSTOMER",
  name: `bench-${randomBytes(3).toString("hex")}`,
  shopId: null,
});

export const newRider = (): Actor => ({
  userId: randomUUID(),
  role: "RIDER",
  name: `rider-${randomBytes(3).toString("hex")}`,
  shopId: null,
});

const testCard = "4242 4242 4242 4242";

export function placeInput(order: ShopOrder) {
  return {
    idempotencyKey: `bench-${randomUUID()}`,
    shopId: order.shopId,
    lines: order.lines,
    deliveryAddress: "서울 마포구 월드컵북로 396, 101동 1203호",
    phone: "010-1234-5678",
    note: "문 앞에 두고 벨 눌러주세요",
    cardNumber: testCard,
  };
}
