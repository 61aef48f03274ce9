import { eventTypesOf, type EventHandler } from "@baedal/events";
import type { Tx } from "./adapters/repository.js";
import type { MypageRuntime, MypageService } from "./service.js";

export type { MypageRuntime };

/** My page's three sources, each applied through the service; live streams are woken after commit. */
export function registerHandlers(rt: MypageRuntime, mypage: MypageService): void {
  const afterCommit = (event: Parameters<MypageService["wake"]>[0]) => mypage.wake(event);
  const all = (source: string, handler: EventHandler<Tx>) =>
    Object.fromEntries(eventTypesOf(source).map((t) => [t, handler]));
  rt.consume({
    name: "mypage-from-order",
    source: "order",
    handlers: all("order", (event, tx) => mypage.onOrderEvent(tx, event)),
    afterCommit,
  });
  rt.consume({
    name: "mypage-from-delivery",
    source: "delivery",
    handlers: all("delivery", (event, tx) => mypage.onDeliveryEvent(tx, event)),
    afterCommit,
  });
  rt.consume({
    name: "mypage-from-notification",
    source: "notification",
    handlers: { NotificationCreated: (event, tx) => mypage.onNotification(tx, event) },
    afterCommit,
  });
}
