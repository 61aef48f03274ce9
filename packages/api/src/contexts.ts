import type { ContextName } from "./platform/config.js";
import type { ContextModule } from "./platform/context-module.js";

/**
 * Every bounded context, by the name its process entry point takes. Loaded lazily so that a
 * process running one context loads only that context's code.
 */
export const contexts: Record<ContextName, () => Promise<ContextModule>> = {
  identity: async () => (await import("./identity/index.js")).identityContext,
  catalog: async () => (await import("./catalog/index.js")).catalogContext,
  review: async () => (await import("./review/index.js")).reviewContext,
  order: async () => (await import("./order/index.js")).orderContext,
  payment: async () => (await import("./payment/index.js")).paymentContext,
  store: async () => (await import("./store/index.js")).storeContext,
  delivery: async () => (await import("./delivery/index.js")).deliveryContext,
  mypage: async () => (await import("./mypage/index.js")).mypageContext,
  notification: async () => (await import("./notification/index.js")).notificationContext,
  report: async () => (await import("./report/index.js")).reportContext,
};
