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

/**
 * A shop with one dish (₩39,000, delivery ₩3,000, minimum ₩15,000) in order's catalog replica,
 * as catalog's events would leave it: for suites that run order and payment alone. `input` is a
 * checkout of one dish under `key`.
 */
export async function replicaShop(env: TestEnv) {
  const shopId = randomUUID();
  const itemId = randomUUID();
  await env.query(
    `INSERT INTO ordering.shop_replicas (shop_id, owner_id, name, category, address, is_open, min_order_krw, delivery_fee_krw)
     VALUES ($1, $2, '바다회센터', 'FISH', '서울 마포구', true, 15000, 3000)`,
    [shopId, randomUUID()],
  );
  await env.query(
    `INSERT INTO ordering.menu_item_replicas (menu_item_id, shop_id, name, price_krw, sold_out, listed, revision)
     VALUES ($1, $2, '모둠회 (중)', 39000, false, true, 1)`,
    [itemId, shopId],
  );
  const input = (key: string, card: string = cards.ok) => ({
    idempotencyKey: key,
    shopId,
    lines: [{ menuItemId: itemId, quantity: 1 }],
    deliveryAddress: "서울 마포구 월드컵북로 396",
    phone: "010-1234-5678",
    note: "",
    cardNumber: card,
  });
  return { shopId, itemId, input };
}
