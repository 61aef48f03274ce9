import { ReviewEvents, on, type EventEnvelope } from "@baedal/events";
import { CatalogRepo } from "./adapters/catalog-repo.js";
import { approveRevision, rejectRevision, type MenuItem, type Transition } from "./domain/menu-item.js";
import type { Prisma } from "./generated/client.js";
import type { CatalogRuntime, CatalogService } from "./service.js";

/** Review decisions: list the approved revision, or mark it rejected. Stale decisions change nothing. */
export function registerHandlers(rt: CatalogRuntime, service: CatalogService) {
  const decide = async (
    tx: Prisma.TransactionClient,
    menuItemId: string,
    transition: (item: MenuItem) => Transition,
  ): Promise<EventEnvelope[]> => {
    const repo = new CatalogRepo(tx, rt.schema);
    const item = await repo.lockItem(menuItemId);
    if (!item) {
      rt.log.warn({ menuItemId }, "review decision for an unknown menu item; ignored");
      return [];
    }
    const { state, events } = transition(item);
    if (state !== item) await repo.saveItem(state);
    return events;
  };

  rt.consume({
    name: "catalog-from-review",
    source: "review",
    // The owner's menu screen shows the decision live (the event names the item, not its shop).
    afterCommit: (event) => {
      const { menuItemId } = event.data as { menuItemId: string };
      void rt.db.menuItem
        .findUnique({ where: { id: menuItemId }, select: { shopId: true } })
        .then((item) => item && service.menuChanged(item.shopId))
        .catch(() => undefined);
    },
    handlers: {
      ReviewCaseApproved: on(ReviewEvents.ReviewCaseApproved, async (event, tx) => {
        const d = event.data;
        return decide(tx, d.menuItemId, (item) => approveRevision(item, d.revision, event.id));
      }),
      ReviewCaseRejected: on(ReviewEvents.ReviewCaseRejected, async (event, tx) => {
        const d = event.data;
        return decide(tx, d.menuItemId, (item) => rejectRevision(item, d.revision, d.reason, event.id));
      }),
    },
  });
}
