import type { ContextName } from "./config.js";

/** The Postgres schema each context owns; no context reads another's. */
export const contextSchemas: Record<ContextName, string> = {
  identity: "identity",
  catalog: "catalog",
  review: "review",
  order: "ordering",
  payment: "payment",
  store: "store",
  delivery: "delivery",
  mypage: "mypage",
  notification: "notification",
  report: "report",
};

/** A set of tables the platform's own code works on, defined once in platform/migrations/<set>/. */
export type SharedTableSet = "live-feed" | "rate-limits";

/**
 * The shared table sets each context keeps in its own schema: a live screen's feed
 * (platform/live-feed.ts) or rate-limit counters (platform/security/rate-limit.ts). They are
 * migrated before the context's own files, so its migrations may use them.
 */
export const sharedTables: Record<ContextName, readonly SharedTableSet[]> = {
  identity: ["rate-limits"],
  catalog: [],
  review: [],
  order: ["rate-limits"],
  payment: [],
  store: ["live-feed"],
  delivery: ["live-feed"],
  mypage: ["live-feed"],
  notification: [],
  report: [],
};
