import { directSql, quoteIdent, type LiveHub, type OrderLine, type OrderStatus } from "@baedal/events";
import { followFeeds, LiveFeedStore, type FeedEntry } from "../../platform/live-feed.js";
import { contextSchemas } from "../../platform/schemas.js";
import type { Prisma, PrismaClient } from "../generated/client.js";
import type { DeliveryStatus, OrderView, TimelineStep } from "../domain/order-view.js";

export type Tx = Prisma.TransactionClient;
type Db = Tx | PrismaClient;

/**
 * The write side is raw SQL: every event My page applies is one or two statements (the view and
 * the feed head locked and read in one; the view saved and the feed entry appended in the other)
 * instead of the six Prisma calls it took. The reads of the screens stay Prisma. The feed is the
 * platform's live feed (one per customer, keyed by the customer's id).
 */
const orderViews = `${quoteIdent(contextSchemas.mypage)}.order_views`;
const feeds = new LiveFeedStore(contextSchemas.mypage);
const feedHeads = `${quoteIdent(contextSchemas.mypage)}.live_feed_heads`;

/** ORDER: an order event changed the view; DELIVERY: a rider call event did; NOTIFICATION: a notification. */
export type FeedKind = "ORDER" | "DELIVERY" | "NOTIFICATION";
/** What one entry of the customer's feed (and stream) carries. */
export interface FeedItem {
  kind: FeedKind;
  orderId: string | null;
  payload: unknown;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const json = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

/** The view's columns under the names of OrderView (times and json as the driver returns them). */
const viewColumns = `order_id::text AS "orderId", customer_id::text AS "customerId", shop_id::text AS "shopId",
  shop_name AS "shopName", status, seq, lines, items_total_krw AS "itemsTotalKrw",
  delivery_fee_krw AS "deliveryFeeKrw", total_krw AS "totalKrw", delivery_address AS "deliveryAddress",
  placed_at AS "placedAt", prep_minutes AS "prepMinutes", eta_at AS "etaAt", rider_name AS "riderName",
  cancelled_by AS "cancelledBy", cancel_reason AS "cancelReason", refunded_krw AS "refundedKrw",
  delivery_status AS "deliveryStatus", timeline`;
type ViewRow = Omit<OrderView, "placedAt" | "etaAt"> & {
  placedAt: Date | string | null;
  etaAt: Date | string | null;
};

function fromRow(r: ViewRow): OrderView {
  return {
    orderId: r.orderId,
    customerId: r.customerId,
    shopId: r.shopId,
    shopName: r.shopName,
    status: r.status as OrderStatus,
    seq: r.seq,
    lines: json<OrderLine[]>(r.lines),
    itemsTotalKrw: r.itemsTotalKrw,
    deliveryFeeKrw: r.deliveryFeeKrw,
    totalKrw: r.totalKrw,
    deliveryAddress: r.deliveryAddress,
    placedAt: iso(r.placedAt),
    prepMinutes: r.prepMinutes,
    etaAt: iso(r.etaAt),
    riderName: r.riderName,
    cancelledBy: r.cancelledBy,
    cancelReason: r.cancelReason,
    refundedKrw: r.refundedKrw,
    deliveryStatus: r.deliveryStatus as DeliveryStatus | null,
    timeline: json<TimelineStep[]>(r.timeline),
  };
}

/**
 * Locks the customer's feed head, then the order's view (creating it from `seed` if this is the
 * order's first event), and reads the view: one statement. The head comes first and in its own
 * statement before anything is decided, so a notification held meanwhile (`noteNotification`,
 * which locks the same head) is seen by `saveChange` (see LiveFeedStore.lockHead).
 */
export async function lockView(tx: Tx, seed: OrderView): Promise<OrderView> {
  const [row] = await directSql(tx).$queryRawUnsafe<ViewRow[]>(
    `WITH head AS (
       INSERT INTO ${feedHeads} AS h (feed, seq) VALUES ($2, 0)
       ON CONFLICT (feed) DO UPDATE SET seq = h.seq RETURNING seq)
     INSERT INTO ${orderViews} AS v (order_id, customer_id, shop_id, status, seq, lines, timeline, updated_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, $4, 0, '[]', '[]', now() FROM head
     ON CONFLICT (order_id) DO UPDATE SET order_id = v.order_id
     RETURNING ${viewColumns}`,
    seed.orderId,
    seed.customerId,
    seed.shopId,
    seed.status,
  );
  return fromRow(row!);
}

/**
 * Loads an order view under a row lock, or null when no order event has made it yet (events of
 * other sources do not carry the customer, so they cannot start a view).
 */
export async function lockExistingView(tx: Tx, orderId: string): Promise<OrderView | null> {
  const rows = await directSql(tx).$queryRawUnsafe<ViewRow[]>(
    `SELECT ${viewColumns} FROM ${orderViews} WHERE order_id = $1::uuid FOR UPDATE`,
    orderId,
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/**
 * Saves a changed view and appends it to its customer's feed, in one statement; notifications
 * held for a step the view now shows (`shownSteps`) follow it onto the feed, right after the
 * step they announce.
 */
export async function saveChange(
  tx: Tx,
  v: OrderView,
  kind: FeedKind,
  shownSteps: string[],
): Promise<FeedEntry[]> {
  const entry: FeedItem = { kind, orderId: v.orderId, payload: v };
  return feeds.append(tx, v.customerId, entry, {
    release: shownSteps.map((step) => holdKey(v.orderId, step)),
    alongside: (p) =>
      `UPDATE ${orderViews} SET shop_name = ${p(v.shopName)}, status = ${p(v.status)}, seq = ${p(v.seq)},
         lines = ${p(JSON.stringify(v.lines))}::jsonb, items_total_krw = ${p(v.itemsTotalKrw)}::int,
         delivery_fee_krw = ${p(v.deliveryFeeKrw)}::int, total_krw = ${p(v.totalKrw)}::int,
         delivery_address = ${p(v.deliveryAddress)}, placed_at = ${p(v.placedAt)}::timestamptz,
         prep_minutes = ${p(v.prepMinutes)}::int, eta_at = ${p(v.etaAt)}::timestamptz,
         rider_name = ${p(v.riderName)}, cancelled_by = ${p(v.cancelledBy)}, cancel_reason = ${p(v.cancelReason)},
         refunded_krw = ${p(v.refundedKrw)}::int, delivery_status = ${p(v.deliveryStatus)},
         timeline = ${p(JSON.stringify(v.timeline))}::jsonb, updated_at = now()
       WHERE order_id = ${p(v.orderId)}::uuid RETURNING 1`,
  });
}

/** Appends a notification that waits for nothing to its customer's feed: one statement. */
export async function appendNotification(
  tx: Tx,
  customerId: string,
  orderId: string | null,
  payload: unknown,
): Promise<FeedEntry[]> {
  const entry: FeedItem = { kind: "NOTIFICATION", orderId, payload };
  return feeds.append(tx, customerId, entry);
}

/** The key a notification about `step` of an order is held under. */
const holdKey = (orderId: string, step: string) => `${orderId}:${step}`;

/**
 * A notification about an order's step: appended to the customer's feed if the view shows that
 * step, else held until the order event that adds the step (`saveChange`) releases it. Two
 * statements: the feed head is locked first, then the view read and the entry written.
 * Returns the entry written (none when it was held).
 */
export async function noteNotification(
  tx: Tx,
  n: { customerId: string; orderId: string; step: string; payload: unknown },
): Promise<FeedEntry[]> {
  await feeds.lockHead(tx, n.customerId);
  const entry: FeedItem = { kind: "NOTIFICATION", orderId: n.orderId, payload: n.payload };
  return feeds.appendOrHold(
    tx,
    n.customerId,
    holdKey(n.orderId, n.step),
    entry,
    (p) =>
      `EXISTS (SELECT 1 FROM ${orderViews} WHERE order_id = ${p(n.orderId)}::uuid
         AND timeline @> jsonb_build_array(jsonb_build_object('type', ${p(n.step)}::text)))`,
  );
}

/** How long a customer's feed keeps its entries for a reconnecting page (as the board and rider feeds). */
const FEED_KEEP_MS = 24 * 60 * 60 * 1000;

/** Drops feed entries older than FEED_KEEP_MS; returns how many. */
export function pruneFeed(db: PrismaClient): Promise<number> {
  return feeds.prune(db, new Date(Date.now() - FEED_KEEP_MS));
}

/** The customer's stream: their feed through the platform's one live-feed loop. */
export function followFeed(
  db: PrismaClient,
  hub: LiveHub,
  customerId: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  return followFeeds<never, FeedItem>({
    store: feeds,
    db,
    hub,
    wakeKey: customerId,
    feeds: [customerId],
    lastEventId,
    signal,
  });
}

type Row = Prisma.OrderViewModel;
const toView = (r: Row): OrderView =>
  fromRow({ ...r, status: r.status as OrderStatus } as unknown as ViewRow);

export async function listViews(db: Db, customerId: string, limit = 100): Promise<OrderView[]> {
  const rows = await db.orderView.findMany({
    where: { customerId },
    orderBy: [{ placedAt: { sort: "desc", nulls: "first" } }, { updatedAt: "desc" }],
    take: limit,
  });
  return rows.map(toView);
}

export async function findView(db: Db, customerId: string, orderId: string): Promise<OrderView | null> {
  const row = await db.orderView.findFirst({ where: { orderId, customerId } });
  return row ? toView(row) : null;
}
