/**
 * Invariant 7 for customers: another customer's order is invisible and untouchable. Every
 * procedure a customer can reach that takes an order id (or something that belongs to an order)
 * answers NOT_FOUND (or FORBIDDEN for admin-only ones), and nothing changes.
 */
import { randomUUID } from "node:crypto";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEnv, waitFor } from "./harness.js";
import { orderInput, seedAndSync } from "./fixtures.js";

const codeOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the call should have been refused").toBeInstanceOf(TRPCClientError);
  return ((err as TRPCClientError<never>).data as unknown as { code: string }).code;
};

describe("customers see and change only their own orders", () => {
  const env = new TestEnv();
  const alice = env.actor("CUSTOMER");
  const mallory = env.actor("CUSTOMER");
  let orderId = "";

  beforeAll(async () => {
    await env.setup();
    // Authorization is the subject here, not timeouts: a generous RPC timeout for busy machines.
    const names = ["catalog", "order", "payment", "mypage", "notification"] as const;
    await Promise.all(names.map((n) => env.start(n, { env: { BAEDAL_RPC_TIMEOUT_MS: "15000" } })));
    await seedAndSync(env);
    const api = await env.client(alice);
    ({ orderId } = await api.order.place.mutate(orderInput(`k-${randomUUID()}`)));
    // Alice's view and her "order placed" notification exist before Mallory tries anything.
    await waitFor("alice's order view", async () => (await api.mypage.order.query({ orderId })).orderId === orderId);
    await waitFor("alice's notification", async () => (await api.notification.list.query()).length > 0);
  }, 180_000);
  afterAll(() => env.teardown());

  it("order.get, order.cancel and mypage.order answer NOT_FOUND for someone else's order", async () => {
    const api = await env.client(mallory);
    expect(await codeOf(api.order.get.query({ orderId }))).toBe("NOT_FOUND");
    expect(await codeOf(api.order.cancel.mutate({ orderId }))).toBe("NOT_FOUND");
    expect(await codeOf(api.mypage.order.query({ orderId }))).toBe("NOT_FOUND");
    // An id that exists nowhere answers the same: nothing tells the two apart.
    expect(await codeOf(api.order.get.query({ orderId: randomUUID() }))).toBe("NOT_FOUND");

    const [row] = await env.query<{ status: string }>(`SELECT status FROM ordering.orders WHERE id = $1`, [orderId]);
    expect(row!.status).toBe("PLACED");
  });

  it("admin-only order procedures are FORBIDDEN to a customer", async () => {
    const api = await env.client(mallory);
    expect(await codeOf(api.order.adminCancel.mutate({ orderId, reason: "mine now" }))).toBe("FORBIDDEN");
    expect(await codeOf(api.order.adminFind.query({ orderId }))).toBe("FORBIDDEN");
    const [row] = await env.query<{ status: string }>(`SELECT status FROM ordering.orders WHERE id = $1`, [orderId]);
    expect(row!.status).toBe("PLACED");
  });

  it("lists and notifications: the other customer's order and notifications never show, and cannot be marked read", async () => {
    const api = await env.client(mallory);
    expect(await api.mypage.orders.query()).toEqual([]);
    expect(await api.notification.list.query()).toEqual([]);
    expect((await api.notification.unreadCount.query()).count).toBe(0);

    const aliceApi = await env.client(alice);
    const aliceNotifications = await aliceApi.notification.list.query();
    const ids = aliceNotifications.map((n: { id: string }) => n.id);
    expect((await api.notification.markRead.mutate({ notificationIds: ids })).updated).toBe(0);
    expect((await aliceApi.notification.unreadCount.query()).count).toBe(ids.length);
  });

  it("the live stream carries only the subscriber's own changes", async () => {
    const api = await env.client(mallory);
    const seen: string[] = [];
    const sub = api.mypage.live.subscribe(
      { lastEventId: "0" }, // from the very beginning of the feed
      { onData: (e: unknown) => seen.push(((e as { data: { orderId: string | null } }).data.orderId ?? "") as string) },
    );
    // Alice's order changes while Mallory listens.
    await (await env.client(alice)).order.cancel.mutate({ orderId });
    await waitFor("alice's view to show the cancellation", async () =>
      (await (await env.client(alice)).mypage.order.query({ orderId })).status === "CANCELLED",
    );
    await new Promise((r) => setTimeout(r, 1_000));
    sub.unsubscribe();
    expect(seen).not.toContain(orderId);
    expect(seen).toEqual([]);
  });
});
