import { CatalogEvents, on } from "@baedal/events";
import type { ReviewRuntime, ReviewService } from "./service.js";

/** Menu item submissions open a case (once per revision); withdrawals close it; shop names are kept for the queue. */
export function registerHandlers(rt: ReviewRuntime, review: ReviewService) {
  rt.consume({
    name: "review-from-catalog",
    source: "catalog",
    handlers: {
      MenuItemSubmittedForReview: on(CatalogEvents.MenuItemSubmittedForReview, (event, tx) =>
        review.openCase(tx, event.data, new Date(event.occurredAt)),
      ),
      ShopUpdated: on(CatalogEvents.ShopUpdated, (event, tx) =>
        review.rememberShop(tx, event.data.shopId, event.data.name),
      ),
      MenuItemReviewWithdrawn: on(CatalogEvents.MenuItemReviewWithdrawn, (event, tx) =>
        review.closeCase(tx, event.data.menuItemId, event.data.revision),
      ),
    },
  });
}
