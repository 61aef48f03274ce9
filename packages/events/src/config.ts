import { z } from "zod";

/**
 * The messaging knobs this package reads from the environment (README "Environment"): the only
 * place in `@baedal/events` that touches `process.env` (the lint forbids it elsewhere). It cannot
 * use `@baedal/api`'s config (this package does not depend on it), hence a module of its own.
 *
 * `eventsSetting(name)` is read where the value is used, not captured at import (as before this
 * module): a process started with the variable sees it, and a test that changes `process.env`
 * between two calls sees the change. Parsing one field is cheap enough to do per message.
 */
const count = (min: number) => z.coerce.number().int().min(min);

export const eventsEnvSchema = z.object({
  // Failed deliveries of an event before it is parked as a dead letter.
  BAEDAL_MAX_DELIVER: count(1).default(6),
  // How long an event whose handler says "too early" (EventTooEarly) keeps being retried.
  BAEDAL_TOO_EARLY_WINDOW_MS: count(0).default(15 * 60_000),
  // Messages one consumer pulls ahead, and so the most events it applies in one transaction.
  BAEDAL_CONSUMER_BATCH: count(1).default(64),
  // How often an idle live stream re-reads its feed anyway.
  BAEDAL_LIVE_HEARTBEAT_MS: count(1).default(120_000),
  // Copies of the event stream and the revoked-sessions bucket across a NATS cluster (3 in k8s).
  BAEDAL_STREAM_REPLICAS: count(1).default(1),
  BAEDAL_RPC_TIMEOUT_MS: count(1).default(2_000),
  BAEDAL_BREAKER_FAILURES: count(1).default(3),
  BAEDAL_BREAKER_HALF_OPEN_MS: count(0).default(5_000),
  BAEDAL_RPC_MAX_IN_FLIGHT: count(1).default(16),
  BAEDAL_RPC_MAX_QUEUE_MS: count(0).default(10_000),
  // Crash points for fault tests (faults.ts), comma-separated; none unless set.
  BAEDAL_FAULTS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
});
export type EventsConfig = z.infer<typeof eventsEnvSchema>;

/** Parses a whole environment (unknown variables are ignored): a start-up check. Throws one line per bad value. */
export function loadEventsConfig(env: Record<string, string | undefined>): EventsConfig {
  const parsed = eventsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

type Shape = typeof eventsEnvSchema.shape;
/** One knob, typed and defaulted, from `process.env` as it is now. */
export function eventsSetting<K extends keyof Shape>(name: K): z.output<Shape[K]> {
  const parsed = eventsEnvSchema.shape[name].safeParse(process.env[name]);
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return parsed.data as z.output<Shape[K]>;
}
