import { createHash } from "node:crypto";
import type { OrderLine } from "@baedal/events";
import { DomainError } from "../../platform/errors.js";
import type { OrderDraft } from "./order.js";

export interface ShopView {
  shopId: string;
  name: string;
  address: string;
  isOpen: boolean;
  minOrderKrw: number;
  deliveryFeeKrw: number;
}

export interface MenuItemView {
  menuItemId: string;
  shopId: string;
  name: string;
  priceKrw: number;
  soldOut: boolean;
  listed: boolean;
}

export interface CheckoutRequest {
  shopId: string;
  lines: { menuItemId: string; quantity: number }[];
  deliveryAddress: string;
  phone: string;
  note: string;
}

/** A checkout attempt's states; see CheckoutSaga for what moves it between them. */
export type AttemptStatus = "PENDING" | "UNKNOWN" | "UNSENT" | "PLACED" | "DECLINED" | "VOIDING" | "VOIDED";

/** The states in which an attempt's authorization is not decided: it may still be (re)sent to payment. */
export const openAttemptStatuses: readonly AttemptStatus[] = ["PENDING", "UNKNOWN", "UNSENT"];
export const isOpenAttempt = (s: AttemptStatus) => openAttemptStatuses.includes(s);

/** Same key, same request: anything else under a used key is refused. The card number is not part of it. */
export function hashCheckout(req: CheckoutRequest): string {
  const canonical = JSON.stringify({
    shopId: req.shopId,
    lines: [...req.lines].sort((a, b) => a.menuItemId.localeCompare(b.menuItemId)),
    deliveryAddress: req.deliveryAddress,
    phone: req.phone,
    note: req.note,
  });
  return createHash("sha256").update(canonical).digest("hex");
}

export const checkoutKeyReused = () =>
  new DomainError(
    "CONFLICT",
    "This checkout key was already used for a different order",
    "IDEMPOTENCY_KEY_REUSED",
  );

export const checkoutExpired = () =>
  new DomainError("CONFLICT", "This checkout has expired; please place the order again", "CHECKOUT_EXPIRED");

export const cardDeclined = (code: string | null, message: string | null) =>
  new DomainError("PAYMENT_REQUIRED", message ?? "Your card was declined", code ?? "CARD_DECLINED");

/** The answer a decided attempt gives to a retry of its checkout. */
export function answerFor(a: {
  id: string;
  status: AttemptStatus;
  declineCode: string | null;
  declineMessage: string | null;
}): { orderId: string } {
  if (a.status === "PLACED") return { orderId: a.id };
  if (a.status === "DECLINED") throw cardDeclined(a.declineCode, a.declineMessage);
  throw checkoutExpired(); // VOIDING, VOIDED
}

const fmt = (krw: number) => `₩${krw.toLocaleString("ko-KR")}`;

/** Prices a cart against the listed menu: the order keeps this snapshot whatever the menu does next. */
export function priceCheckout(
  req: CheckoutRequest,
  shop: ShopView | null,
  items: MenuItemView[],
): OrderDraft {
  if (!shop) throw new DomainError("NOT_FOUND", "This shop does not exist", "SHOP_NOT_FOUND");
  if (!shop.isOpen)
    throw new DomainError("PRECONDITION_FAILED", `${shop.name} is closed right now`, "SHOP_CLOSED");
  const byId = new Map(items.map((i) => [i.menuItemId, i]));
  const quantities = new Map<string, number>();
  for (const l of req.lines) quantities.set(l.menuItemId, (quantities.get(l.menuItemId) ?? 0) + l.quantity);

  const lines: OrderLine[] = [];
  for (const [menuItemId, quantity] of quantities) {
    const item = byId.get(menuItemId);
    if (!item || !item.listed || item.shopId !== shop.shopId) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "An item in your cart is no longer on the menu",
        "ITEM_UNAVAILABLE",
      );
    }
    if (item.soldOut)
      throw new DomainError("PRECONDITION_FAILED", `${item.name} is sold out`, "ITEM_SOLD_OUT");
    lines.push({ menuItemId, name: item.name, unitPriceKrw: item.priceKrw, quantity });
  }
  const itemsTotalKrw = lines.reduce((sum, l) => sum + l.unitPriceKrw * l.quantity, 0);
  if (itemsTotalKrw < shop.minOrderKrw) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `The minimum order at ${shop.name} is ${fmt(shop.minOrderKrw)}; your cart is ${fmt(itemsTotalKrw)}`,
      "BELOW_MINIMUM_ORDER",
    );
  }
  return {
    shopId: shop.shopId,
    shopName: shop.name,
    shopAddress: shop.address,
    lines,
    itemsTotalKrw,
    deliveryFeeKrw: shop.deliveryFeeKrw,
    totalKrw: itemsTotalKrw + shop.deliveryFeeKrw,
    deliveryAddress: req.deliveryAddress,
    phone: req.phone,
    note: req.note,
  };
}
