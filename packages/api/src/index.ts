export type { AppRouter } from "./router.js";
export { createBaedalClient, contextRoutingLink, type BaedalClient } from "./client.js";
