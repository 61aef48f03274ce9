/**
 * platform/live-feed.ts against the real Postgres (My page's tables): an append is one statement
 * that moves the head and writes the entry; an entry held under a key reaches the feed only when
 * an append releases that key, right after it; appendOrHold appends at once when its condition
 * already holds. Each returns the entries it wrote (what the ping after commit carries).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMessaging, LiveHub, type Messaging, type SqlExecutor } from "@baedal/events";
import { followFeeds, LiveFeedStore } from "../../src/platform/live-feed.js";
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

  it("prune drops the entries written before the cutoff and leaves the head where it was", async () => {
    const feed = randomUUID();
    for (const n of ["a", "b", "c"]) await inTx((tx) => store.append(tx, feed, { n }));
    await pool.query(
      `UPDATE mypage.live_feed_entries SET created_at = now() - interval '2 days' WHERE feed = $1 AND seq < 3`,
      [feed],
    );
    const pruned = await inTx((tx) => store.prune(tx, new Date(Date.now() - 24 * 60 * 60 * 1000)));
    expect(pruned).toBe(2);
    expect(await entries(feed)).toEqual(["3:c"]);
    expect(await inTx((tx) => store.head(tx, feed))).toBe(3);
    expect(await inTx((tx) => store.oldest(tx, feed))).toBe(3);
  });

  it("appends in one statement each, seqs from 1", async () => {
    const feed = randomUUID();
    statements = 0;
    const written = await inTx(async (tx) => [
      await store.append(tx, feed, { n: "a" }),
      await store.append(tx, feed, { n: "b" }),
    ]);
    expect(written).toEqual([[{ feed, seq: 1, payload: { n: "a" } }], [{ feed, seq: 2, payload: { n: "b" } }]]);
    expect(statements).toBe(2);
    expect(await entries(feed)).toEqual(["1:a", "2:b"]);
    expect(await inTx((tx) => store.head(tx, feed))).toBe(2);
  });

  it("holds an entry until an append releases its key, then puts it right after that append", async () => {
    const feed = randomUUID();
    const never = () => "false";
    await inTx(async (tx) => {
      await store.lockHead(tx, feed);
      expect(await store.appendOrHold(tx, feed, "k1", { n: "held-1" }, never)).toEqual([]);
      expect(await store.appendOrHold(tx, feed, "k1", { n: "held-2" }, never)).toEqual([]);
      expect(await store.appendOrHold(tx, feed, "k2", { n: "held-other" }, never)).toEqual([]);
    });
    expect(await entries(feed)).toEqual([]);
    await inTx((tx) => store.append(tx, feed, { n: "unrelated" }, { release: ["k9"] }));
    expect(await entries(feed)).toEqual(["1:unrelated"]);
    const released = await inTx((tx) => store.append(tx, feed, { n: "step" }, { release: ["k1"] }));
    expect(released).toEqual([
      { feed, seq: 2, payload: { n: "step" } },
      { feed, seq: 3, payload: { n: "held-1" } },
      { feed, seq: 4, payload: { n: "held-2" } },
    ]);
    expect(await entries(feed)).toEqual(["1:unrelated", "2:step", "3:held-1", "4:held-2"]);
    expect(await inTx((tx) => store.head(tx, feed))).toBe(4);
    // The entry the condition already allows goes straight onto the feed.
    await inTx(async (tx) => {
      await store.lockHead(tx, feed);
      expect(await store.appendOrHold(tx, feed, "k3", { n: "now" }, (p) => `${p(1)}::int = 1`)).toEqual([
        { feed, seq: 5, payload: { n: "now" } },
      ]);
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

  it("a stream sends what a ping carries without reading, and reads at a gap", async () => {
    const m: Messaging = await connectMessaging({ url: env.natsUrl, ns: env.ns, name: "live-feed-test" });
    const hub = new LiveHub(m, "customer", 60_000);
    hub.start();
    const feed = randomUUID();
    let reads = 0;
    const db: SqlExecutor = {
      $executeRawUnsafe: async (q, ...v) => (await pool.query(q, v)).rowCount ?? 0,
      $queryRawUnsafe: async <T>(q: string, ...v: unknown[]) => {
        if (q.includes("seq > $2")) reads++;
        return (await pool.query(q, v)).rows as T;
      },
    };
    const abort = new AbortController();
    const sent: string[] = [];
    const following = (async () => {
      const stream = followFeeds<never, { n: string }>({
        store, db, hub, wakeKey: feed, feeds: [feed], lastEventId: "0", signal: abort.signal,
      });
      for await (const [id, message] of stream) if (message.kind === "change") sent.push(`${id}:${message.change.n}`);
    })();
    const until = async (what: string, ok: () => boolean) => {
      const end = Date.now() + 15_000;
      while (!ok()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; sent ${sent.join(",")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until("the first read", () => reads === 1);
      // Carried and next in line: sent as carried.
      const first = await inTx((tx) => store.append(tx, feed, { n: "a" }));
      hub.ping(feed, first);
      await until("the carried entry", () => sent.length === 1);
      expect(sent).toEqual(["1:a"]);
      expect(reads).toBe(1);
      // The ping of seq 2 was lost; seq 3's shows a gap: the feed is read from the cursor.
      await inTx((tx) => store.append(tx, feed, { n: "b" }));
      const third = await inTx((tx) => store.append(tx, feed, { n: "c" }));
      hub.ping(feed, third);
      await until("the read at the gap", () => sent.length === 3);
      expect(sent).toEqual(["1:a", "2:b", "3:c"]);
      expect(reads).toBe(2);
      // A ping of what was sent already sends nothing and reads nothing.
      hub.ping(feed, third);
      const fourth = await inTx((tx) => store.append(tx, feed, { n: "d" }));
      hub.ping(feed, fourth);
      await until("the fourth", () => sent.length === 4);
      expect(sent).toEqual(["1:a", "2:b", "3:c", "4:d"]);
      expect(reads).toBe(2);
    } finally {
      abort.abort();
      hub.ping(feed); // wakes the loop so it sees the abort
      await following.catch(() => undefined);
      hub.stop();
      await m.nc.close();
    }
  });
});
