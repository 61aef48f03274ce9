import { ReviewEvents, on } from "@baedal/events";
import { approveRevision, rejectRevision } from "./domain/menu-item.js";
import type { CatalogRuntime, CatalogService } from "./service.js";

/** Review decisions: list the approved revision, or mark it rejected. Stale decisions change nothing. */
export function registerHandlers(rt: CatalogRuntime, catalog: CatalogService) {
  rt.consume({
    name: "catalog-from-review",
    source: "review",
    handlers: {
      ReviewCaseApproved: on(ReviewEvents.ReviewCaseApproved, (event, tx) => {
        const d = event.data;
        return catalog.decideReview(tx, d.menuItemId, (item) =>
          approveRevision(item, d.revision, event.id),
        );
      }),
      ReviewCaseRejected: on(ReviewEvents.ReviewCaseRejected, (event, tx) => {
        const d = event.data;
        return catalog.decideReview(tx, d.menuItemId, (item) =>
          rejectRevision(item, d.revision, d.reason, event.id),
        );
      }),
    },
  });
}
