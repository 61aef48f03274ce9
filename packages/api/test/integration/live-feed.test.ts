/**
 * platform/live-feed.ts against the real Postgres (My page's tables): an append is one statement
 * that moves the head and writes the entry; an entry held under a key reaches the feed only when
 * an append releases that key, right after it; appendOrHold appends at once when its condition
 * already holds.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlExecutor } from "@baedal/events";
import { LiveFeedStore } from "../../src/platform/live-feed.js";
import { TestEnv } from "./harness.js";

describe("LiveFeedStore", () => {
  const env = new TestEnv();
  const store = new LiveFeedStore("mypage");
  let pool: pg.Pool;
  let statements = 0;

  /** Runs `fn` in a transaction on one connection, counting the statements it sends. */
  async function inTx<R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    const tx: SqlExecutor = {
      $executeRawUnsafe: async (q, ...v) => (statements++, (await client.query(q, v)).rowCount ?? 0),
      $queryRawUnsafe: async <T>(q: string, ...v: unknown[]) => (
        statements++,
        (await client.query(q, v)).rows as T
      ),
    };
    try {
      await client.query("BEGIN");
      const r = await fn(tx);
      await client.query("COMMIT");
      return r;
    } catch (err) {
      await client.query("ROLLBACK");
      throw err;
    } finally {
      client.release();
    }
  }
  const entries = async (feed: string) =>
    (
      await pool.query<{ seq: string; payload: { n: string } }>(
        `SELECT seq::text, payload FROM mypage.live_feed_entries WHERE feed = $1 ORDER BY seq`,
        [feed],
      )
    ).rows.map((r) => `${r.seq}:${r.payload.n}`);

  beforeAll(async () => {
    await env.setup();
    pool = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await env.teardown();
  });

  it("appends in one statement each, seqs from 1", async () => {
    const feed = randomUUID();
    statements = 0;
    const seqs = await inTx(async (tx) => [
      await store.append(tx, feed, { n: "a" }),
      await store.append(tx, feed, { n: "b" }),
    ]);
    expect(seqs).toEqual([1, 2]);
    expect(statements).toBe(2);
    expect(await entries(feed)).toEqual(["1:a", "2:b"]);
    expect(await inTx((tx) => store.head(tx, feed))).toBe(2);
  });

  it("holds an entry until an append releases its key, then puts it right after that append", async () => {
    const feed = randomUUID();
    const never = () => "false";
    await inTx(async (tx) => {
      await store.lockHead(tx, feed);
      expect(await store.appendOrHold(tx, feed, "k1", { n: "held-1" }, never)).toBe(true);
      expect(await store.appendOrHold(tx, feed, "k1", { n: "held-2" }, never)).toBe(true);
      expect(await store.appendOrHold(tx, feed, "k2", { n: "held-other" }, never)).toBe(true);
    });
    expect(await entries(feed)).toEqual([]);
    await inTx((tx) => store.append(tx, feed, { n: "unrelated" }, { release: ["k9"] }));
    expect(await entries(feed)).toEqual(["1:unrelated"]);
    const seq = await inTx((tx) => store.append(tx, feed, { n: "step" }, { release: ["k1"] }));
    expect(seq).toBe(2);
    expect(await entries(feed)).toEqual(["1:unrelated", "2:step", "3:held-1", "4:held-2"]);
    expect(await inTx((tx) => store.head(tx, feed))).toBe(4);
    // The entry the condition already allows goes straight onto the feed.
    await inTx(async (tx) => {
      await store.lockHead(tx, feed);
      expect(await store.appendOrHold(tx, feed, "k3", { n: "now" }, (p) => `${p(1)}::int = 1`)).toBe(false);
    });
    expect((await entries(feed)).at(-1)).toBe("5:now");
    const { rows } = await pool.query(`SELECT hold_key FROM mypage.live_feed_held WHERE feed = $1`, [feed]);
    expect(rows).toEqual([{ hold_key: "k2" }]);
  });

  it("runs the caller's change in the append's statement", async () => {
    const feed = randomUUID();
    const marker = randomUUID();
    statements = 0;
    await inTx((tx) =>
      store.append(
        tx,
        feed,
        { n: "with-change" },
        {
          alongside: (p) =>
            `INSERT INTO mypage.live_feed_held (feed, hold_key, payload) VALUES (${p(marker)}, 'x', '{}') RETURNING 1`,
        },
      ),
    );
    expect(statements).toBe(1);
    expect(await entries(feed)).toEqual(["1:with-change"]);
    expect(
      (await pool.query(`SELECT 1 FROM mypage.live_feed_held WHERE feed = $1`, [marker])).rows,
    ).toHaveLength(1);
  });
});
