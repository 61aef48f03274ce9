import { createHmac } from "node:crypto";

export const webhookMaxAttempts = 8;
export const webhookTimeoutMs = 5_000;
const baseDelayMs = 2_000;
const maxDelayMs = 5 * 60_000;

/**
 * `X-Baedal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * A receiver recomputes v1 over the raw body and rejects old timestamps (replays).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/** Delay before the next try after `attempts` failed tries: 2s, 4s, 8s, … capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(baseDelayMs * 2 ** Math.max(0, attempts - 1), maxDelayMs);
}

/** What a delivery becomes after one more failed attempt. */
export function afterFailure(
  attemptsBefore: number,
  now: Date,
): { attempts: number; status: "PENDING" | "FAILED"; nextAttemptAt: Date } {
  const attempts = attemptsBefore + 1;
  if (attempts >= webhookMaxAttempts) return { attempts, status: "FAILED", nextAttemptAt: now };
  return { attempts, status: "PENDING", nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}
