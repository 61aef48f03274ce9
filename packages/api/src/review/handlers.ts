import { randomUUID } from "node:crypto";
import { CatalogEvents, EventTooEarly, on } from "@baedal/events";
import { ReviewRepo } from "./adapters/review-repo.js";
import { closeCase, openCase } from "./domain/review-case.js";
import type { ReviewRuntime } from "./service.js";

/** Menu item submissions open a case (once per revision); withdrawals close it; shop names are kept for the queue. */
export function registerHandlers(rt: ReviewRuntime) {
  rt.consume({
    name: "review-from-catalog",
    source: "catalog",
    handlers: {
      MenuItemSubmittedForReview: on(CatalogEvents.MenuItemSubmittedForReview, async (event, tx) => {
        const d = event.data;
        const { state, events } = openCase(randomUUID(), d, new Date(event.occurredAt));
        await new ReviewRepo(tx).insert(state);
        return events;
      }),
      ShopUpdated: on(CatalogEvents.ShopUpdated, async (event, tx) => {
        const d = event.data;
        await new ReviewRepo(tx).rememberShop(d.shopId, d.name);
        return [];
      }),
      MenuItemReviewWithdrawn: on(CatalogEvents.MenuItemReviewWithdrawn, async (event, tx) => {
        const d = event.data;
        const repo = new ReviewRepo(tx);
        const c = await repo.byRevision(d.menuItemId, d.revision);
        // Submission and withdrawal travel on one ordered stream; a case not yet open arrives later.
        if (!c) throw new EventTooEarly(`no review case yet for ${d.menuItemId} revision ${d.revision}`);
        const { state, events } = closeCase(c, new Date());
        if (state !== c) await repo.saveFrom("OPEN", state);
        return events;
      }),
    },
  });
}
