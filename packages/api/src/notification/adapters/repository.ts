import { randomUUID } from "node:crypto";
import { quoteIdent } from "@baedal/events";
import { executeDirect } from "../../platform/direct-statement.js";
import { contextSchemas } from "../../platform/schemas.js";
import { Prisma, type PrismaClient } from "../generated/client.js";
import type { NotificationDraft } from "../domain/messages.js";

export type Tx = Prisma.TransactionClient;
type Db = Tx | PrismaClient;

interface StoredNotification {
  id: string;
  recipientId: string;
  recipientRole: NotificationDraft["recipientRole"];
  orderId: string | null;
  kind: string;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}

const toDto = (n: Prisma.NotificationModel): StoredNotification => ({
  id: n.id,
  recipientId: n.recipientId,
  recipientRole: n.recipientRole as StoredNotification["recipientRole"],
  orderId: n.orderId,
  kind: n.kind,
  title: n.title,
  body: n.body,
  readAt: n.readAt?.toISOString() ?? null,
  createdAt: n.createdAt.toISOString(),
});

/** Raw SQL names a table by its schema: the Prisma adapter scopes model queries, not raw ones. */
const table = (name: string) => Prisma.raw(`${quoteIdent(contextSchemas.notification)}.${quoteIdent(name)}`);

/**
 * Stores the notifications one event causes and, for each recipient with an active webhook, a
 * pending webhook delivery (the sender picks it up after commit) — in one statement, whatever
 * the number of notifications: the step probe counted two or three Prisma statements per
 * notification (create, read the subscription, create the delivery) on every order event.
 * Ids, times and each delivery's payload are made here, so nothing needs reading back; a
 * delivery id made for a recipient without a webhook is simply not used.
 */
export async function createNotifications(
  tx: Tx,
  drafts: NotificationDraft[],
): Promise<StoredNotification[]> {
  if (drafts.length === 0) return [];
  const stored = drafts.map((d) => ({
    deliveryId: randomUUID(),
    n: {
      id: randomUUID(),
      recipientId: d.recipientId,
      recipientRole: d.recipientRole,
      orderId: d.orderId,
      kind: d.kind,
      title: d.title,
      body: d.body,
      readAt: null,
      // As Postgres gives it back (microseconds stored, milliseconds read): the payload and the event agree.
      createdAt: new Date(d.at).toISOString(),
    } satisfies StoredNotification,
  }));
  const rows = stored.map(
    ({ n, deliveryId }) => Prisma.sql`(${n.id}::uuid, ${n.recipientId}::uuid, ${n.recipientRole}::text,
      ${n.orderId}::uuid, ${n.kind}::text, ${n.title}::text, ${n.body}::text, ${n.createdAt}::timestamptz,
      ${deliveryId}::uuid,
      ${JSON.stringify({ deliveryId, type: "notification.created", notification: n })}::jsonb)`,
  );
  await executeDirect(
    tx,
    Prisma.sql`
    WITH draft (id, recipient_id, recipient_role, order_id, kind, title, body, created_at, delivery_id, payload)
      AS (VALUES ${Prisma.join(rows)}),
    stored AS (
      INSERT INTO ${table("notifications")} (id, recipient_id, recipient_role, order_id, kind, title, body, created_at)
      SELECT id, recipient_id, recipient_role, order_id, kind, title, body, created_at FROM draft
    )
    INSERT INTO ${table("webhook_deliveries")} (id, notification_id, recipient_id, url, payload, status, next_attempt_at)
    SELECT d.delivery_id, d.id, d.recipient_id, s.url, d.payload, 'PENDING', now()
      FROM draft d JOIN ${table("webhook_subscriptions")} s ON s.recipient_id = d.recipient_id AND s.active`,
  );
  return stored.map(({ n }) => n);
}

export async function listFor(db: Db, recipientIds: string[], unreadOnly: boolean, limit: number) {
  const rows = await db.notification.findMany({
    where: { recipientId: { in: recipientIds }, ...(unreadOnly ? { readAt: null } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map(toDto);
}

export const unreadCount = (db: Db, recipientIds: string[]) =>
  db.notification.count({ where: { recipientId: { in: recipientIds }, readAt: null } });

export async function markRead(db: Db, recipientIds: string[], ids?: string[]): Promise<number> {
  const { count } = await db.notification.updateMany({
    where: { recipientId: { in: recipientIds }, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return count;
}

export async function setWebhook(db: PrismaClient, recipientIds: string[], url: string, secret: string) {
  await db.$transaction(
    recipientIds.map((recipientId) =>
      db.webhookSubscription.upsert({
        where: { recipientId },
        create: { recipientId, url, secret, active: true },
        update: { url, secret, active: true },
      }),
    ),
  );
}

export async function removeWebhook(db: PrismaClient, recipientIds: string[]): Promise<number> {
  const { count } = await db.webhookSubscription.deleteMany({ where: { recipientId: { in: recipientIds } } });
  return count;
}
