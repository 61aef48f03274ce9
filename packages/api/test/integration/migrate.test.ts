import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/platform/migrate.js";
import { TestEnv } from "./harness.js";

/**
 * The live-feed and rate-limit tables are one shared set each (platform/migrations/), where they
 * were once created by the contexts' own migrations. A database migrated before that change must
 * take the new layout without running anything twice and without losing a row; an applied
 * migration edited any other way must still be refused.
 */
describe("migrations: shared table sets on a database migrated before them", () => {
  const env = new TestEnv();
  beforeAll(() => env.setup(), 60_000);
  afterAll(() => env.teardown());

  const checksumOf = async (schema: string, name: string) =>
    (await env.query<{ checksum: string }>(`SELECT checksum FROM ${schema}._migrations WHERE name = $1`, [name]))[0]
      ?.checksum;

  it("every context that keeps a shared set has it applied, once, before its own files", async () => {
    for (const [schema, set] of [
      ["store", "live-feed"],
      ["delivery", "live-feed"],
      ["mypage", "live-feed"],
      ["identity", "rate-limits"],
      ["ordering", "rate-limits"],
    ] as const) {
      expect(await checksumOf(schema, `platform/${set}/0001_tables`), `${schema} ${set}`).toBeDefined();
    }
    expect(await checksumOf("payment", "platform/live-feed/0001_tables")).toBeUndefined();
  });

  it("an installation from before the shared sets upgrades in place, keeping its rows", async () => {
    // Put the store's and identity's bookkeeping back to how the old files left it: the shared
    // sets not recorded, store's 0002 recorded under the checksum of the version that also
    // created the feed tables, identity's old 0002 (the rate-limit table) recorded.
    const oldStore0002 = "8c61ead028546cc1f478b7ed8a13609fc5b8536fd3d06a363b97d4b672692f62";
    await env.query(`DELETE FROM store._migrations WHERE name LIKE 'platform/%'`);
    await env.query(`DELETE FROM identity._migrations WHERE name LIKE 'platform/%'`);
    await env.query(`UPDATE store._migrations SET checksum = $1 WHERE name = '0002_board_feed'`, [oldStore0002]);
    await env.query(`INSERT INTO identity._migrations (name, checksum) VALUES ('0002_rate_limits', 'old')`);
    await env.query(`INSERT INTO store.live_feed_heads (feed, seq) VALUES ('shop-1', 7)`);
    await env.query(`INSERT INTO identity.rate_limits (key, points) VALUES ('sign-in:1', 3)`);

    await migrate(env.databaseUrl);

    expect(await checksumOf("store", "0002_board_feed")).not.toBe(oldStore0002);
    expect(await checksumOf("store", "platform/live-feed/0001_tables")).toBeDefined();
    expect(await checksumOf("identity", "platform/rate-limits/0001_tables")).toBeDefined();
    expect(await env.query(`SELECT feed, seq::int FROM store.live_feed_heads`)).toEqual([{ feed: "shop-1", seq: 7 }]);
    expect(await env.query(`SELECT key, points FROM identity.rate_limits`)).toEqual([{ key: "sign-in:1", points: 3 }]);
    // The columns store's 0002 adds exist once (it did not run again, which would have failed).
    const cols = await env.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = 'store' AND table_name = 'tickets' AND column_name = 'rider_name'`,
    );
    expect(cols).toHaveLength(1);
  });

  it("My page's own feed, from before it moved onto the live feed, is moved over", async () => {
    // A database where My page stopped at 0002: its feed_* tables, no live-feed tables yet.
    await env.query(`DROP TABLE mypage.live_feed_entries, mypage.live_feed_heads, mypage.live_feed_held`);
    await env.query(`DELETE FROM mypage._migrations WHERE name = '0003_live_feed' OR name LIKE 'platform/%'`);
    await env.query(`CREATE TABLE mypage.feed_heads (customer_id uuid PRIMARY KEY, seq bigint NOT NULL)`);
    await env.query(`CREATE TABLE mypage.feed_entries (
      customer_id uuid NOT NULL, seq bigint NOT NULL, kind text NOT NULL, order_id uuid,
      payload jsonb NOT NULL, created_at timestamptz(6) NOT NULL DEFAULT now(), PRIMARY KEY (customer_id, seq))`);
    const customer = "00000000-0000-4000-8000-000000000001";
    const order = "00000000-0000-4000-8000-000000000002";
    await env.query(`INSERT INTO mypage.feed_heads VALUES ($1, 1)`, [customer]);
    await env.query(`INSERT INTO mypage.feed_entries (customer_id, seq, kind, order_id, payload) VALUES ($1, 1, 'ORDER', $2, '{"status":"PLACED"}')`, [
      customer,
      order,
    ]);

    await migrate(env.databaseUrl);

    expect(await env.query(`SELECT feed, seq::int, payload FROM mypage.live_feed_entries`)).toEqual([
      { feed: customer, seq: 1, payload: { kind: "ORDER", orderId: order, payload: { status: "PLACED" } } },
    ]);
    expect(await env.query(`SELECT feed, seq::int FROM mypage.live_feed_heads`)).toEqual([{ feed: customer, seq: 1 }]);
    expect(await env.query(`SELECT to_regclass('mypage.feed_entries') AS t`)).toEqual([{ t: null }]);
    expect(await env.query(`SELECT count(*)::int AS n FROM mypage.live_feed_held`)).toEqual([{ n: 0 }]);
  });

  it("an applied migration edited in any other way is refused", async () => {
    await env.query(`UPDATE store._migrations SET checksum = 'something else' WHERE name = '0002_board_feed'`);
    await expect(migrate(env.databaseUrl)).rejects.toThrow(/store\/0002_board_feed changed after it was applied/);
  });
});
