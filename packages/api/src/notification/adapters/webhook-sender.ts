import http from "node:http";
import https from "node:https";
import { quoteIdent } from "@baedal/events";
import { contextSchemas } from "../../platform/schemas.js";
import { Prisma, type PrismaClient } from "../generated/client.js";
import { afterFailure, signWebhook, webhookTimeoutMs } from "../domain/webhook.js";
import { privateTargetsAllowed, publicOnlyLookup, refusedTarget, TargetRefused } from "./webhook-target.js";

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
  /** Agents whose every connection resolves through the public-only lookup (webhook-target.ts). */
  private readonly guarded = {
    "http:": new http.Agent({ lookup: publicOnlyLookup() }),
    "https:": new https.Agent({ lookup: publicOnlyLookup() }),
  };

  constructor(
    private readonly db: PrismaClient,
    private readonly batchSize = 20,
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
    let refused = false;
    try {
      const reason = refusedTarget(c.url);
      if (reason) throw new TargetRefused(reason);
      const status = await this.post(c.url, body, {
        "content-type": "application/json",
        "x-baedal-signature": signWebhook(c.secret, body, Date.now() / 1000),
        "x-baedal-delivery": c.id,
      });
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (err) {
      refused = err instanceof TargetRefused;
      if (err instanceof TargetRefused) error = err.message;
      else error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    if (error === null) {
      await this.db.webhookDelivery.update({
        where: { id: c.id },
        data: { status: "DELIVERED", attempts: c.attempts + 1, deliveredAt: new Date(), lastError: null },
      });
    } else if (refused) {
      // The guard's answer will not change by knocking again: final, with the reason.
      await this.db.webhookDelivery.update({
        where: { id: c.id },
        data: { status: "FAILED", attempts: c.attempts + 1, lastError: error },
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

  /**
   * POSTs the body and answers the status. Redirects are not followed (a 3xx is a failure: it
   * could point anywhere). Unless WEBHOOK_ALLOW_PRIVATE=1, the connection goes through a guarded
   * agent, so the address judged is the address connected to.
   */
  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const agent = privateTargetsAllowed() ? undefined : this.guarded[target.protocol as "http:" | "https:"];
    return new Promise((resolve, reject) => {
      const req = client.request(
        target,
        { method: "POST", headers, agent, signal: AbortSignal.timeout(webhookTimeoutMs) },
        (res) => {
          res.resume(); // the answer's body is not needed; read it off so the socket is freed
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
          res.on("close", () => res.complete || reject(new Error("the answer was cut off")));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}
