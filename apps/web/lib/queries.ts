/**
 * Every query the app makes, with its cache key in one place, so the live stream and mutations
 * update and invalidate exactly what the screens read.
 */
import { queryOptions } from "@tanstack/react-query";
import { isNotFound, isUnauthorized, trpc, type Inputs } from "./trpc";

type ShopsInput = NonNullable<Inputs["catalog"]["shops"]>;

export const keys = {
  me: ["identity.me"] as const,
  shops: (input: ShopsInput) => ["catalog.shops", input] as const,
  shop: (shopId: string) => ["catalog.shop", shopId] as const,
  myOrders: ["mypage.orders"] as const,
  myOrder: (orderId: string) => ["mypage.order", orderId] as const,
  order: (orderId: string) => ["order.get", orderId] as const,
  notifications: ["notification.list"] as const,
  unreadCount: ["notification.unreadCount"] as const,
};

/** The signed-in user, or null when signed out (not an error). */
export const meQuery = () =>
  queryOptions({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await trpc.identity.me.query();
      } catch (err) {
        if (isUnauthorized(err)) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });

export const shopsQuery = (input: ShopsInput) =>
  queryOptions({ queryKey: keys.shops(input), queryFn: () => trpc.catalog.shops.query(input), staleTime: 30_000 });

export const shopQuery = (shopId: string) =>
  queryOptions({ queryKey: keys.shop(shopId), queryFn: () => trpc.catalog.shop.query({ shopId }), staleTime: 15_000 });

export const myOrdersQuery = () => queryOptions({ queryKey: keys.myOrders, queryFn: () => trpc.mypage.orders.query() });

/**
 * The customer's view of one order. Right after checkout the view may not exist yet (it is built
 * from events): NOT_FOUND is retried for a while before the page says so.
 */
export const myOrderQuery = (orderId: string) =>
  queryOptions({
    queryKey: keys.myOrder(orderId),
    queryFn: () => trpc.mypage.order.query({ orderId }),
    retry: (count, err) => (isNotFound(err) ? count < 8 : count < 2),
    retryDelay: 750,
  });

/** The order as its owning context holds it: what cancelling is allowed right now. */
export const orderQuery = (orderId: string) =>
  queryOptions({ queryKey: keys.order(orderId), queryFn: () => trpc.order.get.query({ orderId }), retry: 1 });

export const notificationsQuery = () =>
  queryOptions({ queryKey: keys.notifications, queryFn: () => trpc.notification.list.query({ limit: 30 }) });

export const unreadCountQuery = () =>
  queryOptions({ queryKey: keys.unreadCount, queryFn: () => trpc.notification.unreadCount.query() });
