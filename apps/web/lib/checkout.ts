"use client";
/**
 * Checkout state that outlives the page: the delivery details (saved for next time) and the
 * idempotency key of the current checkout attempt.
 *
 * The key makes "place order" safe to click twice or retry after "payment is busy": the order
 * context answers a repeated key with the same attempt, never a second charge. It is kept until
 * the order is placed, replaced after a decline or an expired checkout (those attempts are final),
 * and also when the order itself changes (a key belongs to one exact request).
 */
import { z } from "zod";
import { localStore } from "./local-store";

const detailsSchema = z.object({ address: z.string(), phone: z.string() });
export const deliveryDetails = localStore("baedal.delivery.v1", detailsSchema, { address: "", phone: "" });

const attemptSchema = z.object({ key: z.string().min(8), fingerprint: z.string() }).nullable();
const attemptStore = localStore("baedal.checkout-attempt.v1", attemptSchema, null);

/** The key for this exact request: the current one when the request is unchanged, else a new one. */
export function idempotencyKeyFor(fingerprint: string): string {
  const current = attemptStore.get();
  if (current && current.fingerprint === fingerprint) return current.key;
  const key = randomKey();
  attemptStore.set({ key, fingerprint });
  return key;
}

/** After a success or a final refusal (declined, expired): the next attempt gets a new key. */
export function forgetAttempt() {
  attemptStore.set(null);
}

/** 128 random bits as hex (crypto.randomUUID needs a secure context; getRandomValues does not). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
