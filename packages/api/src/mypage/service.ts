import { tracked } from "@trpc/server";
import {
  EventTooEarly,
  type DeliveryEvents,
  type EventEnvelope,
  type EventOf,
  type LiveHub,
  type NotificationEvents,
  type OrderEvents,
} from "@baedal/events";
import { notFound } from "../platform/errors.js";
import type { FeedEntry } from "../platform/live-feed.js";
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
  saveChange,
  type Tx,
} from "./adapters/repository.js";

export type MypageRuntime = ContextRuntime<PrismaClient, Tx>;

/** Any event order publishes, typed by its contract (`on()` in handlers.ts). */
type OrderEvent = EventOf<(typeof OrderEvents)[keyof typeof OrderEvents]>;
/** Any rider call event delivery publishes. */
type DeliveryEvent = EventOf<(typeof DeliveryEvents)[keyof typeof DeliveryEvents]>;
type NotificationCreated = EventOf<typeof NotificationEvents.NotificationCreated>;

/** How many events' wake-ups are remembered between a handler's run and its commit. */
const maxRemembered = 10_000;

/**
 * My page: the customer's orders as a read model built from events, and their one live feed
 * (order changes, rider call changes, notifications). The only caller of the adapters: the
 * router and the handlers call this.
 */
export class MypageService {
  /**
   * Per event whose handler ran: whose streams to wake after commit (delivery events do not name
   * the customer) and the feed entries its transaction wrote, which the ping carries. Written on
   * every run of the handler, so a batch rolled back and run again leaves its latest run's.
   */
  private readonly toWake = new Map<string, { customerId: string; entries: FeedEntry[] }>();

  constructor(
    private readonly db: PrismaClient,
    private readonly hub: LiveHub,
  ) {}

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
    this.remember(event, view.customerId, entries);
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
    this.remember(event, view.customerId, entries);
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
    this.remember(event, n.recipientId, entries);
  }

  private remember(event: EventEnvelope, customerId: string, entries: FeedEntry[]): void {
    this.toWake.delete(event.id); // re-inserted last: the oldest entries are the first ones
    this.toWake.set(event.id, { customerId, entries });
    // A handler whose transaction then failed for good (its event parked, or taken by another
    // replica) leaves its entry; those are the oldest, and a commit follows its run within
    // moments, so beyond a bound the oldest go.
    for (const id of this.toWake.keys()) {
      if (this.toWake.size <= maxRemembered) break;
      this.toWake.delete(id);
    }
  }

  /**
   * After an event's transaction committed: wakes the customer's live streams with what it put
   * on their feed. Nothing put there (an event that changed nothing, a notification held): no
   * stream has anything to send, so none is woken.
   */
  wake(event: EventEnvelope): void {
    const w = this.toWake.get(event.id);
    this.toWake.delete(event.id);
    if (w?.entries.length) this.hub.ping(w.customerId, w.entries);
  }
}
