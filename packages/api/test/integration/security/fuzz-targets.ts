/**
 * What the fuzz test attacks: the procedures anyone can reach (anonymous, or any signed-up
 * customer / shop owner), each with a valid input and the shape of its fields. Corruptions are
 * derived from the shape, so each generated input is invalid by construction and must be
 * refused with a 4xx.
 */
import { randomUUID } from "node:crypto";
import { fishShop, orderInput } from "../fixtures.js";

export type Field =
  | { kind: "string"; min?: number; max: number; optional?: boolean; nullable?: boolean }
  | { kind: "int"; min: number; max: number; optional?: boolean }
  | { kind: "uuid"; optional?: boolean }
  | { kind: "bool"; optional?: boolean }
  | { kind: "enum"; values: readonly string[]; optional?: boolean }
  | { kind: "array"; of: Record<string, Field>; min: number; max: number };

export type Caller = "anonymous" | "customer" | "owner";

export interface Target {
  path: string;
  type: "query" | "mutation";
  as: Caller;
  /** A valid input (fresh ids each time); corruptions start from it. */
  valid: () => Record<string, unknown>;
  fields: Record<string, Field>;
}

const str = (max: number, min = 0, more: Partial<Extract<Field, { kind: "string" }>> = {}): Field => ({
  kind: "string",
  max,
  min,
  ...more,
});

export const targets: Target[] = [
  {
    path: "identity.signIn",
    type: "mutation",
    as: "anonymous",
    valid: () => ({ email: `fuzz-${randomUUID()}@example.com`, password: "not-the-password" }),
    fields: { email: str(200, 3), password: str(200, 1) },
  },
  {
    path: "identity.signUp",
    type: "mutation",
    as: "anonymous",
    valid: () => ({
      email: `fuzz-${randomUUID()}@example.com`,
      password: "long-enough-1",
      name: "퍼즈",
      phone: "010-1111-2222",
    }),
    fields: { email: str(200, 3), password: str(200, 8), name: str(50, 1), phone: str(20, 6) },
  },
  {
    path: "catalog.shops",
    type: "query",
    as: "anonymous",
    valid: () => ({ category: "FISH", search: "회" }),
    fields: {
      category: {
        kind: "enum",
        values: ["FISH", "CHICKEN", "PIZZA", "KOREAN", "BURGER", "DESSERT"],
        optional: true,
      },
      search: str(80, 0, { optional: true }),
    },
  },
  {
    path: "catalog.shop",
    type: "query",
    as: "anonymous",
    valid: () => ({ shopId: fishShop.shopId }),
    fields: { shopId: { kind: "uuid" } },
  },
  {
    path: "order.place",
    type: "mutation",
    as: "customer",
    valid: () => orderInput(`fuzz-${randomUUID()}`),
    fields: {
      idempotencyKey: str(100, 8),
      shopId: { kind: "uuid" },
      lines: {
        kind: "array",
        min: 1,
        max: 30,
        of: { menuItemId: { kind: "uuid" }, quantity: { kind: "int", min: 1, max: 50 } },
      },
      deliveryAddress: str(200, 5),
      phone: str(20, 9),
      note: str(200, 0, { optional: true }),
      cardNumber: str(40, 12),
    },
  },
  {
    path: "order.cancel",
    type: "mutation",
    as: "customer",
    valid: () => ({ orderId: randomUUID(), reason: "마음이 바뀌었어요" }),
    fields: { orderId: { kind: "uuid" }, reason: str(200, 0, { optional: true }) },
  },
  {
    path: "catalog.createItem",
    type: "mutation",
    as: "owner",
    valid: () => ({ name: "퍼즈 물회", description: "", priceKrw: 15_000, category: "물회", imageUrl: null }),
    fields: {
      name: str(80, 1),
      description: str(500, 0, { optional: true }),
      priceKrw: { kind: "int", min: 100, max: 1_000_000 },
      category: str(40, 1),
      imageUrl: str(500, 0, { optional: true, nullable: true }),
    },
  },
  {
    path: "catalog.updateItem",
    type: "mutation",
    as: "owner",
    valid: () => ({ itemId: fishShop.platterId, priceKrw: 61_000 }),
    fields: {
      itemId: { kind: "uuid" },
      name: str(80, 1, { optional: true }),
      priceKrw: { kind: "int", min: 100, max: 1_000_000, optional: true },
    },
  },
  {
    path: "store.callRider",
    type: "mutation",
    as: "owner",
    valid: () => ({ ticketId: randomUUID(), destination: "서울 마포구", feeKrw: 3_500 }),
    fields: {
      ticketId: { kind: "uuid" },
      destination: str(300, 1, { optional: true }),
      feeKrw: { kind: "int", min: 1_000, max: 50_000 },
    },
  },
  {
    path: "store.accept",
    type: "mutation",
    as: "owner",
    valid: () => ({ ticketId: randomUUID(), prepMinutes: 20 }),
    fields: { ticketId: { kind: "uuid" }, prepMinutes: { kind: "int", min: 1, max: 180 } },
  },
  {
    path: "notification.setWebhook",
    type: "mutation",
    as: "customer",
    valid: () => ({ url: "https://hooks.example/baedal" }),
    fields: { url: str(2_000, 1) },
  },
];
