import { tracked } from "@trpc/server";
import {
  EventTooEarly,
  type DeliveryEvent,
  type EventOf,
  type LiveHub,
  type NotificationEvents,
  type OrderEvent,
} from "@baedal/events";
import { notFound } from "../platform/errors.js";
import { pingAfterCommit, type FeedEntry } from "../platform/live-feed.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";
import {
  announcedStep,
  applyDeliveryEvent,
  applyOrderEvent,
  emptyView,
  type OrderView,
} from "./domain/order-view.js";
import {
  appendNotification,
  findView,
  followFeed,
  listViews,
  lockExistingView,
  lockView,
  noteNotification,
  pruneFeed,
  saveChange,
  type Tx,
} from "./adapters/repository.js";

export type MypageRuntime = ContextRuntime<PrismaClient, Tx>;
export type { Tx };

type NotificationCreated = EventOf<typeof NotificationEvents.NotificationCreated>;

/**
 * My page: the customer's orders as a read model built from events, and their one live feed
 * (order changes, rider call changes, notifications). The only caller of the adapters: the
 * router and the handlers call this.
 */
export class MypageService {
  constructor(
    private readonly rt: MypageRuntime,
    private readonly hub: LiveHub,
  ) {}

  private get db(): PrismaClient {
    return this.rt.db;
  }

  /**
   * Drops customers' feed entries older than a day: a page away longer starts from the feed's
   * head, having loaded its orders (`orders()`) first, as every page does.
   */
  pruneFeed(): Promise<number> {
    return pruneFeed(this.db);
  }

  /** The customer's orders, newest first. */
  orders(customerId: string): Promise<OrderView[]> {
    return listViews(this.db, customerId);
  }

  async order(customerId: string, orderId: string): Promise<OrderView> {
    const view = await findView(this.db, customerId, orderId);
    if (!view) throw notFound("order");
    return view;
  }

  /**
   * The customer's live stream. Each entry's id is its feed seq: reconnecting with `lastEventId`
   * replays exactly what was missed; without it only changes from now on stream (the screen
   * loads `orders()` first).
   */
  async *live(customerId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    for await (const [id, message] of followFeed(this.db, this.hub, customerId, lastEventId, signal)) {
      if (message.kind === "change") yield tracked(id, message.change);
    }
  }

  /** An order event: applied to the customer's view, whose new state goes onto their feed. */
  async onOrderEvent(tx: Tx, event: OrderEvent): Promise<void> {
    const current = await lockView(tx, emptyView(event.data));
    const { view, changed } = applyOrderEvent(current, event);
    // Notifications held for a step the view now shows follow the step onto the feed.
    const entries = changed ? await saveChange(tx, view, "ORDER", view.timeline.map((s) => s.type)) : [];
    this.announce(tx, view.customerId, entries);
  }

  /**
   * A rider call event (delivery). The view is started by an order event, which always precedes
   * the call on the order's side; until mypage has applied one, the delivery event waits for it.
   */
  async onDeliveryEvent(tx: Tx, event: DeliveryEvent): Promise<void> {
    const { orderId } = event.data;
    const current = await lockExistingView(tx, orderId);
    if (!current) throw new EventTooEarly(`no My page view yet for order ${orderId}; retrying`);
    const { view, changed } = applyDeliveryEvent(current, event);
    // Its own kind: ORDER entries are one per order event (the timeline's steps), as the chaos
    // checker and the benches count them; both carry the whole view.
    const entries = changed ? await saveChange(tx, view, "DELIVERY", []) : [];
    this.announce(tx, view.customerId, entries);
  }

  /**
   * A notification for a customer reaches them through the same live feed as their orders,
   * never before the status it announces: until the view shows that step it is held in the
   * database, and the order event that adds the step puts it on the feed right after the step.
   * Both sides take the customer's feed head lock first, so neither misses the other.
   */
  async onNotification(tx: Tx, event: NotificationCreated): Promise<void> {
    const n = event.data;
    if (n.recipientRole !== "CUSTOMER") return;
    const payload = { ...n, createdAt: event.occurredAt };
    const step = announcedStep(n.kind, n.orderId);
    const entries =
      step === null
        ? await appendNotification(tx, n.recipientId, n.orderId, payload)
        : await noteNotification(tx, { customerId: n.recipientId, orderId: n.orderId!, step, payload });
    this.announce(tx, n.recipientId, entries);
  }

  /**
   * Once the transaction commits, the customer's live streams get what it put on their feed
   * (nothing put there, such as a held notification or an unchanged view: nobody is woken).
   */
  private announce(tx: Tx, customerId: string, entries: FeedEntry[]): void {
    pingAfterCommit({ uow: this.rt.uow, hub: this.hub }, tx, customerId, entries);
  }
}
