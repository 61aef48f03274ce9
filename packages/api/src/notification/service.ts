import { randomBytes } from "node:crypto";
import {
  createEvent,
  NotificationEvents,
  type DeliveryEvent,
  type EventEnvelope,
  type OrderEvent,
} from "@baedal/events";
import type { Actor } from "../platform/auth.js";
import { DomainError } from "../platform/errors.js";
import {
  createNotifications,
  listFor,
  markRead,
  removeWebhook,
  setWebhook,
  unreadCount,
  type Tx,
} from "./adapters/repository.js";
import { WebhookSender } from "./adapters/webhook-sender.js";
import { refusedOnRegistration, refusedTarget } from "./adapters/webhook-target.js";
import {
  notificationsForDeliveryEvent,
  notificationsForOrderEvent,
  type NotificationDraft,
} from "./domain/messages.js";
import type { ContextRuntime } from "../platform/runtime.js";
import type { PrismaClient } from "./generated/client.js";

export type NotificationRuntime = ContextRuntime<PrismaClient, Tx>;
export type { Tx };

/** Whose notifications the actor reads: their own, and a shop owner's shop's too. */
function recipientIds(actor: Actor): string[] {
  return actor.role === "SHOP_OWNER" && actor.shopId ? [actor.userId, actor.shopId] : [actor.userId];
}

/**
 * Why a webhook URL may not be used, judged from the URL alone (null when it may): the router's
 * input schema asks this, so a private address is refused as bad input before anything runs.
 */
export const webhookUrlRefusal = (url: string): string | null => refusedTarget(url);

/**
 * Notifications per recipient and their outbound webhooks: the queries and commands of the
 * notification screens, the reactions to order and delivery events, and the webhook sender's
 * rounds. The only caller of the notification's adapters.
 */
export class NotificationService {
  private readonly sender: WebhookSender;

  constructor(private readonly db: PrismaClient) {
    this.sender = new WebhookSender(db);
  }

  list(actor: Actor, unreadOnly: boolean, limit: number) {
    return listFor(this.db, recipientIds(actor), unreadOnly, limit);
  }

  unreadCount(actor: Actor) {
    return unreadCount(this.db, recipientIds(actor));
  }

  /** Marks the given notifications read (all of the actor's when none are given); answers how many. */
  markRead(actor: Actor, notificationIds?: string[]) {
    return markRead(this.db, recipientIds(actor), notificationIds);
  }

  /** Registers (or replaces) the actor's webhook; the returned secret signs every delivery. */
  async setWebhook(actor: Actor, url: string): Promise<{ url: string; secret: string }> {
    // The name as it resolves now; every send judges the address it connects to again.
    const reason = await refusedOnRegistration(url);
    if (reason)
      throw new DomainError("BAD_REQUEST", `url must be a public address (${reason})`, "PRIVATE_TARGET");
    const secret = randomBytes(32).toString("hex");
    await setWebhook(this.db, recipientIds(actor), url, secret);
    return { url, secret };
  }

  async removeWebhook(actor: Actor): Promise<boolean> {
    return (await removeWebhook(this.db, recipientIds(actor))) > 0;
  }

  /** An order event: the customer's notification (and the shop's, on a cancellation). */
  onOrderEvent(tx: Tx, event: OrderEvent): Promise<EventEnvelope[]> {
    return this.store(tx, notificationsForOrderEvent(event), event);
  }

  /** A rider call event: the rider who had accepted a cancelled call is told. */
  onDeliveryEvent(tx: Tx, event: DeliveryEvent): Promise<EventEnvelope[]> {
    return this.store(tx, notificationsForDeliveryEvent(event), event);
  }

  /** One round of the webhook sender: sends what is due (the process runs it every second). */
  sendDueWebhooks(): Promise<number> {
    return this.sender.tick();
  }

  /** Stores the drafts (with webhook deliveries) and returns one NotificationCreated per notification. */
  private async store(tx: Tx, drafts: NotificationDraft[], cause: EventEnvelope): Promise<EventEnvelope[]> {
    const stored = await createNotifications(tx, drafts);
    return stored.map((n) =>
      createEvent(
        NotificationEvents.NotificationCreated,
        {
          notificationId: n.id,
          recipientId: n.recipientId,
          recipientRole: n.recipientRole,
          orderId: n.orderId,
          kind: n.kind,
          title: n.title,
          body: n.body,
        },
        cause.id,
      ),
    );
  }
}
