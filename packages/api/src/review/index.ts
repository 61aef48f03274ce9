import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { registerHandlers } from "./handlers.js";
import { reviewRouter, reviewService } from "./router.js";
import { ReviewService } from "./service.js";

export const reviewContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "review",
  Client: PrismaClient,
  router: reviewRouter,
  async setup(rt) {
    const service = new ReviewService(rt);
    reviewService.set(service);
    registerHandlers(rt, service);
    rt.onStop(() => reviewService.set(undefined));
  },
});
