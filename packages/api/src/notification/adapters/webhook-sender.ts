import { quoteIdent } from "@baedal/events";
import { contextSchemas } from "../../platform/schemas.js";
import { Prisma, type PrismaClient } from "../generated/client.js";
import { afterFailure, signWebhook, webhookTimeoutMs } from "../domain/webhook.js";
import { assertPublicTarget } from "./webhook-target.js";

/** How long a claimed delivery is hidden from other replicas while it is being sent. */
const leaseMs = 30_000;

/** Raw SQL names a table by its schema: the Prisma adapter scopes model queries, not raw ones. */
const table = (name: string) => Prisma.raw(`${quoteIdent(contextSchemas.notification)}.${quoteIdent(name)}`);
const deliveries = table("webhook_deliveries");
const subscriptions = table("webhook_subscriptions");

interface Claimed {
  id: string;
  url: string;
  payload: unknown;
  attempts: number;
  /** The recipient's current secret; null when the subscription was removed or deactivated. */
  secret: string | null;
}

/**
 * Sends due webhook deliveries. Rows are claimed with FOR UPDATE SKIP LOCKED and leased by
 * pushing next_attempt_at forward in the same statement, so replicas never send one delivery
 * concurrently and the HTTP calls happen outside any transaction. A process that dies mid-send
 * leaves the lease to expire and the delivery is tried again (at-least-once; receivers dedupe
 * on `deliveryId`).
 */
export class WebhookSender {
  constructor(
    private readonly db: PrismaClient,
    private readonly batchSize = 20,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async tick(): Promise<number> {
    const claimed = await this.db.$queryRaw<Claimed[]>`
      WITH due AS (
        SELECT id FROM ${deliveries}
         WHERE status = 'PENDING' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT ${this.batchSize}
         FOR UPDATE SKIP LOCKED
      )
      UPDATE ${deliveries} d
         SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
        FROM due
       WHERE d.id = due.id
      RETURNING d.id, d.url, d.payload, d.attempts,
        (SELECT s.secret FROM ${subscriptions} s WHERE s.recipient_id = d.recipient_id AND s.active) AS secret`;
    await Promise.all(claimed.map((c) => this.send(c)));
    return claimed.length;
  }

  private async send(c: Claimed): Promise<void> {
    if (!c.secret) {
      await this.db.webhookDelivery.update({
        where: { id: c.id },
        data: { status: "FAILED", lastError: "webhook subscription removed" },
      });
      return;
    }
    const body = JSON.stringify(c.payload);
    let error: string | null = null;
    try {
      await assertPublicTarget(c.url);
      const res = await this.fetchImpl(c.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-baedal-signature": signWebhook(c.secret, body, Date.now() / 1000),
          "x-baedal-delivery": c.id,
        },
        body,
        signal: AbortSignal.timeout(webhookTimeoutMs),
        redirect: "manual",
      });
      if (!res.ok) error = `HTTP ${res.status}`;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    if (error === null) {
      await this.db.webhookDelivery.update({
        where: { id: c.id },
        data: { status: "DELIVERED", attempts: c.attempts + 1, deliveredAt: new Date(), lastError: null },
      });
    } else {
      const next = afterFailure(c.attempts, new Date());
      await this.db.webhookDelivery.update({
        where: { id: c.id },
        data: {
          status: next.status,
          attempts: next.attempts,
          nextAttemptAt: next.nextAttemptAt,
          lastError: error,
        },
      });
    }
  }
}
