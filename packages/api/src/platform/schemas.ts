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
