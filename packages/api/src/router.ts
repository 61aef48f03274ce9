import { catalogRouter } from "./catalog/router.js";
import { deliveryRouter } from "./delivery/router.js";
import { identityRouter } from "./identity/router.js";
import { mypageRouter } from "./mypage/router.js";
import { notificationRouter } from "./notification/router.js";
import { orderRouter } from "./order/router.js";
import { paymentRouter } from "./payment/router.js";
import { reportRouter } from "./report/router.js";
import { reviewRouter } from "./review/router.js";
import { storeRouter } from "./store/router.js";
import { withOps } from "./platform/dead-letters.js";
import { router } from "./platform/trpc.js";

/**
 * The whole API's type. At run time each process serves only the routers of the contexts it
 * runs (see platform/process.ts); clients route each call to its context's process. Every
 * context also has its admin-only `ops` procedures (parked events: platform/dead-letters.ts).
 */
export const appRouter = router({
  identity: withOps("identity", identityRouter),
  catalog: withOps("catalog", catalogRouter),
  review: withOps("review", reviewRouter),
  order: withOps("order", orderRouter),
  payment: withOps("payment", paymentRouter),
  store: withOps("store", storeRouter),
  delivery: withOps("delivery", deliveryRouter),
  mypage: withOps("mypage", mypageRouter),
  notification: withOps("notification", notificationRouter),
  report: withOps("report", reportRouter),
});
export type AppRouter = typeof appRouter;
