/**
 * THE AUTHORIZATION TABLE: for every tRPC procedure, what each kind of caller gets.
 *
 *   owner      the legit caller (the customer whose order it is, the shop's owner, the rider of
 *              the call, an admin)
 *   sameRole   another user with the same role (another customer, another shop's owner, …)
 *   otherRole  a signed-in user with another role
 *   anonymous  no session
 *
 * Outcomes are "ok" or the tRPC error code. A procedure added to any router without a row here
 * fails authorization.test.ts, so a new procedure cannot ship without someone deciding who may
 * call it. `*.ops.x` rows cover the same procedure mounted under every context.
 */
import { randomUUID } from "node:crypto";
import type { ContextName } from "../../../src/platform/config.js";
import { fishShop, orderInput } from "../fixtures.js";
import type { ActorKey, CallResult, Fx } from "./authz-fixtures.js";

type Outcome =
  "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "PRECONDITION_FAILED" | "CONFLICT" | "BAD_REQUEST";
export const callers = ["anonymous", "otherRole", "sameRole", "owner"] as const;
export type Who = (typeof callers)[number];
type Cast = Record<Exclude<Who, "anonymous">, ActorKey>;

export interface Row<O = unknown> {
  cast: Cast;
  expect: Record<Who, Outcome>;
  /**
   * The object the call acts on, created by its owner. Denied callers try it first, then the
   * owner (so a denied call that changed it would make the owner's call fail); another caller
   * expected to succeed gets a fresh one of its own, unless `shared`.
   */
  object?: (fx: Fx, path: string) => Promise<O>;
  shared?: boolean;
  input?: (o: O, fx: Fx) => unknown;
  /** More callers beyond the four columns, on the shared object (denials or reads only). */
  also?: [ActorKey, Outcome][];
  /** Checks on what the calls returned, e.g. that an "ok" for another user touched nothing. */
  verify?: (results: Record<Who, CallResult>) => void;
}
const row = <O>(r: Row<O>): Row => r as Row;

// Who plays which column, per role.
const customers: Cast = { owner: "customer", sameRole: "customer2", otherRole: "rider1" };
const shops: Cast = { owner: "owner1", sameRole: "owner2", otherRole: "customer" };
const riders: Cast = { owner: "rider1", sameRole: "rider2", otherRole: "owner1" };
const admins: Cast = { owner: "admin", sameRole: "admin2", otherRole: "owner1" };

// The usual answers.
const anyone = { owner: "ok", sameRole: "ok", otherRole: "ok", anonymous: "ok" } as const;
const signedIn = { owner: "ok", sameRole: "ok", otherRole: "ok", anonymous: "UNAUTHORIZED" } as const;
/** Role-only: every user of the role acts on their own things (own board, own menu…). */
const roleOnly = { owner: "ok", sameRole: "ok", otherRole: "FORBIDDEN", anonymous: "UNAUTHORIZED" } as const;
/** Someone's object: another user of the role does not even learn it exists. */
const ownersOnly = {
  owner: "ok",
  sameRole: "NOT_FOUND",
  otherRole: "FORBIDDEN",
  anonymous: "UNAUTHORIZED",
} as const;

const updated = (r: CallResult) => (r.ok ? (r.data as { updated: number }).updated : -1);
const contextOf = (path: string) => path.split(".")[0] as ContextName;

export const authorizationTable: Record<string, Row> = {
  // ---- identity ----------------------------------------------------------------------------
  "identity.signIn": row({
    cast: customers,
    expect: anyone,
    input: () => ({ email: "customer@baedal.dev", password: "baedal1234" }),
  }),
  "identity.signUp": row({
    cast: customers,
    expect: anyone,
    input: () => ({
      email: `authz-${randomUUID()}@example.com`,
      password: "long-enough-1",
      name: "권한",
      phone: "010-7777-0000",
    }),
  }),
  "identity.signOut": row({ cast: customers, expect: anyone }),
  "identity.me": row({ cast: customers, expect: signedIn }),

  // ---- catalog -----------------------------------------------------------------------------
  "catalog.shops": row({ cast: customers, expect: anyone, input: () => ({}) }),
  "catalog.shop": row({ cast: customers, expect: anyone, input: () => ({ shopId: fishShop.shopId }) }),
  "catalog.myShop": row({ cast: shops, expect: roleOnly }),
  "catalog.myMenu": row({ cast: shops, expect: roleOnly }),
  "catalog.myMenuLive": row({ cast: shops, expect: roleOnly, input: () => ({ lastEventId: null }) }),
  "catalog.createItem": row({
    cast: shops,
    expect: roleOnly,
    input: () => ({ name: `권한 ${randomUUID().slice(0, 6)}`, priceKrw: 9_000, category: "검사" }),
  }),
  "catalog.updateItem": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.menuItem(),
    input: (itemId) => ({ itemId, priceKrw: 13_000 }),
  }),
  "catalog.deleteItem": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.menuItem(),
    input: (itemId) => ({ itemId }),
  }),
  "catalog.withdrawReview": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.menuItem(),
    input: (itemId) => ({ itemId }),
  }),
  "catalog.setSoldOut": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.menuItem(),
    input: (itemId) => ({ itemId, soldOut: true }),
  }),
  "catalog.setShopOpen": row({ cast: shops, expect: roleOnly, input: () => ({ isOpen: true }) }),

  // ---- review (admins) ---------------------------------------------------------------------
  "review.queue": row({ cast: admins, expect: roleOnly }),
  "review.approve": row({
    cast: admins,
    expect: roleOnly,
    object: (fx) => fx.reviewCase(),
    input: (reviewCaseId) => ({ reviewCaseId }),
  }),
  "review.reject": row({
    cast: admins,
    expect: roleOnly,
    object: (fx) => fx.reviewCase(),
    input: (reviewCaseId) => ({ reviewCaseId, reason: "사진이 메뉴와 달라요" }),
  }),

  // ---- order -------------------------------------------------------------------------------
  "order.place": row({
    cast: customers,
    expect: roleOnly,
    input: () => orderInput(`authz-${randomUUID()}`),
  }),
  "order.get": row({
    cast: customers,
    // A rider is signed in but reads no orders here: NOT_FOUND, like another customer.
    expect: { owner: "ok", sameRole: "NOT_FOUND", otherRole: "NOT_FOUND", anonymous: "UNAUTHORIZED" },
    object: (fx) => fx.order(),
    input: (orderId) => ({ orderId }),
    // The order's shop and the admins read it too; another shop does not.
    also: [
      ["owner1", "ok"],
      ["owner2", "NOT_FOUND"],
      ["admin", "ok"],
    ],
  }),
  "order.cancel": row({
    cast: customers,
    expect: { owner: "ok", sameRole: "NOT_FOUND", otherRole: "FORBIDDEN", anonymous: "UNAUTHORIZED" },
    object: (fx) => fx.order(),
    input: (orderId) => ({ orderId }),
    also: [
      ["owner1", "FORBIDDEN"],
      ["admin", "FORBIDDEN"],
    ],
  }),
  "order.adminCancel": row({
    cast: admins,
    expect: roleOnly,
    object: (fx) => fx.order(),
    input: (orderId) => ({ orderId, reason: "고객센터 요청" }),
    also: [["customer", "FORBIDDEN"]],
  }),
  "order.adminFind": row({
    cast: admins,
    expect: roleOnly,
    object: (fx) => fx.order(),
    shared: true,
    input: (orderId) => ({ orderId }),
    also: [["customer", "FORBIDDEN"]],
  }),

  // ---- payment -----------------------------------------------------------------------------
  "payment.byOrder": row({
    cast: admins,
    expect: roleOnly,
    object: (fx) => fx.order(),
    shared: true,
    input: (orderId) => ({ orderId }),
    also: [["customer", "FORBIDDEN"]], // not even the order's own customer
  }),

  // ---- store (shop owners) -----------------------------------------------------------------
  "store.board": row({ cast: shops, expect: roleOnly }),
  "store.live": row({ cast: shops, expect: roleOnly, input: () => ({ lastEventId: null }) }),
  "store.ticket": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.ticket("PLACED"),
    input: (t) => ({ ticketId: t.ticketId }),
  }),
  "store.accept": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.ticket("PLACED"),
    input: (t) => ({ ticketId: t.ticketId, prepMinutes: 20 }),
  }),
  "store.reject": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.ticket("PLACED"),
    input: (t) => ({ ticketId: t.ticketId, reason: "재료 소진" }),
  }),
  "store.startCooking": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.ticket("ACCEPTED"),
    input: (t) => ({ ticketId: t.ticketId }),
  }),
  "store.markReady": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.ticket("COOKING"),
    input: (t) => ({ ticketId: t.ticketId }),
  }),
  "store.callRider": row({
    cast: shops,
    expect: ownersOnly,
    object: (fx) => fx.ticket("READY"),
    input: (t) => ({ ticketId: t.ticketId, feeKrw: 3_500 }),
  }),

  // ---- delivery (riders) -------------------------------------------------------------------
  "delivery.me": row({ cast: riders, expect: roleOnly }),
  "delivery.setOnline": row({ cast: riders, expect: roleOnly, input: () => ({ online: true }) }),
  "delivery.openCalls": row({ cast: riders, expect: roleOnly }),
  "delivery.myCalls": row({ cast: riders, expect: roleOnly }),
  "delivery.live": row({ cast: riders, expect: roleOnly, input: () => ({ lastEventId: null }) }),
  "delivery.accept": row({
    cast: riders,
    // Any rider may take an open call (first one wins): each gets a call of their own here.
    expect: roleOnly,
    object: (fx) => fx.riderCall("CALLED"),
    input: (c) => ({ riderCallId: c.riderCallId }),
  }),
  "delivery.pickedUp": row({
    cast: riders,
    expect: ownersOnly,
    object: (fx) => fx.riderCall("ACCEPTED"),
    input: (c) => ({ riderCallId: c.riderCallId }),
  }),
  "delivery.delivered": row({
    cast: riders,
    expect: ownersOnly,
    object: (fx) => fx.riderCall("PICKED_UP"),
    input: (c) => ({ riderCallId: c.riderCallId }),
  }),

  // ---- mypage (customers) ------------------------------------------------------------------
  "mypage.orders": row({ cast: customers, expect: roleOnly }),
  "mypage.order": row({
    cast: customers,
    expect: ownersOnly,
    object: (fx) => fx.orderOnMyPage(),
    input: (orderId) => ({ orderId }),
  }),
  "mypage.live": row({ cast: customers, expect: roleOnly, input: () => ({ lastEventId: null }) }),

  // ---- notification (everyone signed in, each their own) ----------------------------------
  "notification.list": row({ cast: customers, expect: signedIn, input: () => ({}) }),
  "notification.unreadCount": row({ cast: customers, expect: signedIn }),
  "notification.markRead": row({
    cast: customers,
    expect: signedIn,
    object: (fx) => fx.unreadNotifications(),
    shared: true,
    input: (notificationIds) => ({ notificationIds }),
    // Others may call it, but marking someone else's notifications changes nothing.
    verify: (r) => {
      if (updated(r.sameRole) !== 0 || updated(r.otherRole) !== 0)
        throw new Error("another user marked the customer's notifications");
      if (updated(r.owner) < 1) throw new Error("the customer could not mark their own notifications");
    },
  }),
  "notification.markAllRead": row({ cast: customers, expect: signedIn }),
  "notification.setWebhook": row({
    cast: customers,
    expect: signedIn,
    input: () => ({ url: "http://127.0.0.1:9/authz-hook" }),
  }),
  "notification.removeWebhook": row({ cast: customers, expect: signedIn }),

  // ---- report (admins) ---------------------------------------------------------------------
  "report.deliveries": row({ cast: admins, expect: roleOnly, input: () => ({ limit: 10 }) }),
  "report.daily": row({ cast: admins, expect: roleOnly, input: () => ({ days: 7 }) }),
  "report.summary": row({ cast: admins, expect: roleOnly }),
  "report.orderHistory": row({
    cast: admins,
    expect: roleOnly,
    object: (fx) => fx.order(),
    shared: true,
    input: (orderId) => ({ orderId }),
  }),

  // ---- operations, mounted under every context (admins) ------------------------------------
  "*.ops.deadLetters": row({ cast: admins, expect: roleOnly, input: () => ({ state: "ALL", limit: 10 }) }),
  "*.ops.discard": row({
    cast: admins,
    expect: roleOnly,
    object: (fx, path) => fx.deadLetter(contextOf(path)),
    input: (id) => ({ id }),
  }),
  "*.ops.replay": row({
    cast: admins,
    // Past the role check an admin reaches the replay itself, which refuses this planted letter
    // (its consumer does not exist): that answer proves the call was authorized.
    expect: {
      owner: "PRECONDITION_FAILED",
      sameRole: "PRECONDITION_FAILED",
      otherRole: "FORBIDDEN",
      anonymous: "UNAUTHORIZED",
    },
    object: (fx, path) => fx.deadLetter(contextOf(path)),
    shared: true,
    input: (id) => ({ id }),
  }),
};

/** The row for a procedure: its own, or the `*.` row of a procedure every context mounts. */
export function rowFor(path: string): { key: string; row: Row } | null {
  const own = authorizationTable[path];
  if (own) return { key: path, row: own };
  const wildcard = `*.${path.split(".").slice(1).join(".")}`;
  const shared = authorizationTable[wildcard];
  return shared ? { key: wildcard, row: shared } : null;
}
