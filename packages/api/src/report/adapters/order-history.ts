import type { EventEnvelope } from "@baedal/events";
import type { Prisma, PrismaClient } from "../generated/client.js";

type Db = PrismaClient | Prisma.TransactionClient;

export interface OrderHistoryEntry {
  eventId: string;
  orderId: string;
  source: string;
  type: string;
  occurredAt: string;
  data: unknown;
}

/** Keeps an event in its order's history (once: a redelivered event is already there). */
export async function recordOrderEvent(tx: Prisma.TransactionClient, event: EventEnvelope): Promise<void> {
  if (!event.orderId) return;
  await tx.orderEvent.createMany({
    data: [
      {
        eventId: event.id,
        orderId: event.orderId,
        source: event.source,
        type: event.type,
        occurredAt: new Date(event.occurredAt),
        data: event.data as Prisma.InputJsonValue,
      },
    ],
    skipDuplicates: true,
  });
}

/** An order's history, oldest first. */
export async function orderHistory(db: Db, orderId: string): Promise<OrderHistoryEntry[]> {
  const rows = await db.orderEvent.findMany({
    where: { orderId },
    orderBy: [{ occurredAt: "asc" }, { recordedAt: "asc" }],
    take: 500,
  });
  return rows.map((r) => ({
    eventId: r.eventId,
    orderId: r.orderId,
    source: r.source,
    type: r.type,
    occurredAt: r.occurredAt.toISOString(),
    data: r.data,
  }));
}
