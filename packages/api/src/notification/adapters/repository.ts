import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/client.js";
import type { NotificationDraft } from "../domain/messages.js";

export type Tx = Prisma.TransactionClient;
type Db = Tx | PrismaClient;

export interface StoredNotification {
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

/**
 * Stores a notification and, when its recipient has an active webhook, a pending webhook
 * delivery in the same transaction (the sender picks it up after commit).
 */
export async function createNotification(tx: Tx, draft: NotificationDraft): Promise<StoredNotification> {
  const row = await tx.notification.create({
    data: {
      id: randomUUID(),
      recipientId: draft.recipientId,
      recipientRole: draft.recipientRole,
      orderId: draft.orderId,
      kind: draft.kind,
      title: draft.title,
      body: draft.body,
      createdAt: new Date(draft.at),
    },
  });
  const n = toDto(row);
  const sub = await tx.webhookSubscription.findUnique({ where: { recipientId: draft.recipientId } });
  if (sub?.active) {
    const id = randomUUID();
    await tx.webhookDelivery.create({
      data: {
        id,
        notificationId: n.id,
        recipientId: n.recipientId,
        url: sub.url,
        payload: { deliveryId: id, type: "notification.created", notification: { ...n } },
        status: "PENDING",
        nextAttemptAt: new Date(),
      },
    });
  }
  return n;
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
