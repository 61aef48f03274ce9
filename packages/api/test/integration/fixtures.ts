import { randomUUID } from "node:crypto";
import { demoId, seedDemo } from "../../src/seed/demo-data.js";
import type { Actor } from "../../src/platform/auth.js";
import { TestEnv, waitFor } from "./harness.js";

export const cards = { ok: "4242 4242 4242 4242", poor: "4000000000009995", slow: "4000000000000119" };

/** The seeded raw fish shop, its owner and two riders, as the tests act through them. */
export const fishShop = {
  shopId: demoId("shop:bada-hoe"),
  platterId: demoId("item:bada-hoe:모둠회 (대)"),
  owner: { userId: demoId("user:owner1@baedal.dev"), role: "SHOP_OWNER", name: "이회장", shopId: demoId("shop:bada-hoe") } as Actor,
};
export const riders = [
  { userId: demoId("user:rider1@baedal.dev"), role: "RIDER", name: "박라이더", shopId: null } as Actor,
  { userId: demoId("user:rider2@baedal.dev"), role: "RIDER", name: "최라이더", shopId: null } as Actor,
];
export const admin = { userId: demoId("user:admin@baedal.dev"), role: "ADMIN", name: "관리자", shopId: null } as Actor;

/** Seeds the demo catalog and waits until order's catalog replica has it (events went through). */
export async function seedAndSync(env: TestEnv) {
  await seedDemo(env.databaseUrl, env.ns);
  await waitFor("order's catalog replica", async () => {
    const rows = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ordering.menu_item_replicas WHERE menu_item_id = $1`,
      [fishShop.platterId],
    );
    return rows[0]!.n === 1;
  });
}

export const orderInput = (key: string, card = cards.ok) => ({
  idempotencyKey: key,
  shopId: fishShop.shopId,
  lines: [{ menuItemId: fishShop.platterId, quantity: 1 }],
  deliveryAddress: "서울 마포구 월드컵북로 396, 101동 1203호",
  phone: "010-1234-5678",
  note: "문 앞에 두고 벨 눌러주세요",
  cardNumber: card,
});

/**
 * Places throwaway orders, a new customer each try, until one goes through: a process's first
 * requests are its slowest, and a suite's first real order must not race that against the
 * payment RPC timeout (or open the breaker a test expects closed).
 */
export async function warmUpCheckout(env: TestEnv, input: (key: string) => object = orderInput): Promise<void> {
  await waitFor(
    "a first order to go through",
    async () => {
      const api = await env.client(env.actor("CUSTOMER"));
      const place = api.order.place.mutate as (input: object) => Promise<unknown>;
      return place(input(`warm-${randomUUID()}`)).then(
        () => true,
        () => false,
      );
    },
    90_000,
    1_000,
  );
}
