/**
 * What the fuzz test attacks: the procedures anyone can reach (anonymous, or any signed-up
 * customer / shop owner) and every procedure with a free-text field (admins' too), each with a
 * valid input and the shape of its fields. Corruptions are derived from the shape, so each
 * generated input is invalid by construction and must be refused with a 4xx.
 *
 * `text` fields are the free text of the API (names, reasons, addresses, notes, search strings,
 * URLs): the fuzz test checks against the routers themselves that this table lists every one of
 * them with the limits the shared text schema (@baedal/events `text`) was given.
 */
import { randomUUID } from "node:crypto";
import { fishShop, orderInput } from "../fixtures.js";

export type Field =
  | { kind: "string"; min?: number; max: number; optional?: boolean; nullable?: boolean }
  | {
      kind: "text";
      min: number;
      max: number;
      /** Line breaks and tabs are allowed (notes, descriptions, reasons typed in a textarea). */
      multiline?: boolean;
      /** Not trimmed (passwords, keys): blanks are characters like any other. */
      asTyped?: boolean;
      optional?: boolean;
      nullable?: boolean;
    }
  | { kind: "int"; min: number; max: number; optional?: boolean }
  | { kind: "uuid"; optional?: boolean }
  | { kind: "bool"; optional?: boolean }
  | { kind: "enum"; values: readonly string[]; optional?: boolean }
  | { kind: "array"; of: Record<string, Field>; min: number; max: number };

export type Caller = "anonymous" | "customer" | "owner" | "admin";

/**
 * Objects a valid input acts on. `nowhere()` gives ids of nothing (the call would be NOT_FOUND);
 * the free-text test passes real ones — a PLACED order of the customer with its NEW ticket, a
 * READY ticket, an open review case, a listed item of the owner's shop — so that an input let
 * through would really change something (register a rider fee, cancel an order, ...).
 */
export interface Live {
  orderId: string;
  newTicketId: string;
  readyTicketId: string;
  reviewCaseId: string;
  itemId: string;
}
export const nowhere = (): Live => ({
  orderId: randomUUID(),
  newTicketId: randomUUID(),
  readyTicketId: randomUUID(),
  reviewCaseId: randomUUID(),
  itemId: randomUUID(),
});

export interface Target {
  path: string;
  type: "query" | "mutation";
  as: Caller;
  /** A valid input (fresh ids each time) on `live`; corruptions start from it. */
  valid: (live: Live) => Record<string, unknown>;
  fields: Record<string, Field>;
}

const str = (max: number, min = 0, more: Partial<Extract<Field, { kind: "string" }>> = {}): Field => ({
  kind: "string",
  max,
  min,
  ...more,
});
/** A free-text field: `min`/`max` in characters (code points) after trimming. */
const txt = (max: number, min = 0, more: Partial<Extract<Field, { kind: "text" }>> = {}): Field => ({
  kind: "text",
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
    fields: { email: str(200, 3), password: txt(200, 1, { asTyped: true }) },
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
    fields: {
      email: str(200, 3),
      password: txt(200, 8, { asTyped: true }),
      name: txt(50, 1),
      phone: str(20, 6),
    },
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
      search: txt(80, 0, { optional: true }),
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
      idempotencyKey: txt(100, 8, { asTyped: true }),
      shopId: { kind: "uuid" },
      lines: {
        kind: "array",
        min: 1,
        max: 30,
        of: { menuItemId: { kind: "uuid" }, quantity: { kind: "int", min: 1, max: 50 } },
      },
      deliveryAddress: txt(200, 5),
      phone: str(20, 9),
      note: txt(200, 0, { optional: true, multiline: true }),
      cardNumber: str(40, 12),
    },
  },
  {
    path: "order.cancel",
    type: "mutation",
    as: "customer",
    valid: (live) => ({ orderId: live.orderId, reason: "마음이 바뀌었어요" }),
    fields: { orderId: { kind: "uuid" }, reason: txt(200, 0, { optional: true }) },
  },
  {
    path: "order.adminCancel",
    type: "mutation",
    as: "admin",
    valid: (live) => ({ orderId: live.orderId, reason: "고객 요청 (상담 #1234)" }),
    fields: { orderId: { kind: "uuid" }, reason: txt(200, 1, { multiline: true }) },
  },
  {
    path: "order.adminFind",
    type: "query",
    as: "admin",
    valid: () => ({ phone: "1234-5678" }),
    fields: { orderId: { kind: "uuid", optional: true }, phone: txt(20, 4, { optional: true }) },
  },
  {
    path: "catalog.createItem",
    type: "mutation",
    as: "owner",
    valid: () => ({
      name: "퍼즈 물회",
      description: "시원한 물회",
      priceKrw: 15_000,
      category: "물회",
      imageUrl: "https://images.example/mulhoe.jpg",
    }),
    fields: {
      name: txt(80, 1),
      description: txt(500, 0, { optional: true, multiline: true }),
      priceKrw: { kind: "int", min: 100, max: 1_000_000 },
      category: txt(40, 1),
      imageUrl: txt(500, 0, { optional: true, nullable: true }),
    },
  },
  {
    path: "catalog.updateItem",
    type: "mutation",
    as: "owner",
    valid: (live) => ({
      itemId: live.itemId,
      name: "퍼즈 모둠회",
      description: "제철 생선 모둠",
      priceKrw: 61_000,
      category: "모둠회",
      imageUrl: "https://images.example/moodum.jpg",
    }),
    fields: {
      itemId: { kind: "uuid" },
      name: txt(80, 1, { optional: true }),
      description: txt(500, 0, { optional: true, multiline: true }),
      priceKrw: { kind: "int", min: 100, max: 1_000_000, optional: true },
      category: txt(40, 1, { optional: true }),
      imageUrl: txt(500, 0, { optional: true, nullable: true }),
    },
  },
  {
    path: "store.callRider",
    type: "mutation",
    as: "owner",
    valid: (live) => ({ ticketId: live.readyTicketId, destination: "서울 마포구", feeKrw: 3_500 }),
    fields: {
      ticketId: { kind: "uuid" },
      destination: txt(300, 1, { optional: true }),
      feeKrw: { kind: "int", min: 1_000, max: 50_000 },
    },
  },
  {
    path: "store.reject",
    type: "mutation",
    as: "owner",
    valid: (live) => ({ ticketId: live.newTicketId, reason: "재료 소진" }),
    fields: { ticketId: { kind: "uuid" }, reason: txt(200, 1, { multiline: true }) },
  },
  {
    path: "store.accept",
    type: "mutation",
    as: "owner",
    valid: (live) => ({ ticketId: live.newTicketId, prepMinutes: 20 }),
    fields: { ticketId: { kind: "uuid" }, prepMinutes: { kind: "int", min: 1, max: 180 } },
  },
  {
    path: "review.reject",
    type: "mutation",
    as: "admin",
    valid: (live) => ({ reviewCaseId: live.reviewCaseId, reason: "사진이 메뉴와 다릅니다" }),
    fields: { reviewCaseId: { kind: "uuid" }, reason: txt(300, 1, { multiline: true }) },
  },
  {
    path: "notification.setWebhook",
    type: "mutation",
    as: "customer",
    valid: () => ({ url: "https://hooks.example/baedal" }),
    fields: { url: txt(2_000, 1) },
  },
];
