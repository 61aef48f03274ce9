import { createHash } from "node:crypto";
import { tracked, type TrackedEnvelope } from "@trpc/server";
import { directSql, quoteIdent, type LiveHub, type SqlExecutor, type UnitOfWork } from "@baedal/events";

/**
 * Resumable live feeds for every live screen (the shop board, the rider feed, My page).
 *
 * A context keeps `live_feed_heads` / `live_feed_entries` / `live_feed_held` in its own schema
 * (the shared set platform/migrations/live-feed, see schemas.ts `sharedTables`). Each write that
 * changes what a screen shows appends an entry to one or more feeds in the SAME transaction; the
 * head row of a feed is incremented and stays row-locked until commit, so within one feed entries become visible in seq order and a reader that has
 * seen seq N never misses an N+1 that commits later. The writer hands what `append` wrote to
 * `pingAfterCommit`: once the transaction commits, the LiveHub pings the streams with those
 * entries. A stream whose cursor they follow on from sends them as they are; otherwise (a gap,
 * an empty ping, a heartbeat) it re-reads every feed it follows from the seqs it last sent.
 *
 * An entry that must not reach a screen before another one (a notification before the status it
 * announces) can be held (`live_feed_held`) under a key, and is appended right after the entry
 * whose append releases that key.
 */
export interface FeedEntry<T = unknown> {
  feed: string;
  seq: number;
  payload: T;
}

/**
 * A piece of SQL of the caller's, placed inside one of the store's statements: `param(value)`
 * adds a bound parameter and returns its placeholder.
 */
export type SqlPart = (param: (value: unknown) => string) => string;

function statement(build: (param: (value: unknown) => string) => string): [string, unknown[]] {
  const values: unknown[] = [];
  const text = build((v) => {
    values.push(v);
    return `$${values.length}`;
  });
  return [text, values];
}

export class LiveFeedStore {
  private readonly heads: string;
  private readonly entries: string;
  private readonly held: string;

  constructor(schema: string) {
    this.heads = `${quoteIdent(schema)}.live_feed_heads`;
    this.entries = `${quoteIdent(schema)}.live_feed_entries`;
    this.held = `${quoteIdent(schema)}.live_feed_held`;
  }

  /**
   * Appends one entry inside the caller's transaction; returns its seq. One statement: the head
   * moves (and stays locked until commit) and the entry is written at the seq it took.
   *  - `alongside`: the caller's own data-modifying statement (e.g. saving the read model the
   *    entry shows), run as part of this one;
   *  - `release`: keys whose held entries follow this one onto the feed, in the order held.
   * Returns the entries written (this one first), for the ping after commit.
   */
  async append(
    tx: SqlExecutor,
    feed: string,
    payload: unknown,
    opts: { alongside?: SqlPart; release?: string[] } = {},
  ): Promise<FeedEntry[]> {
    const [text, values] = statement((p) => {
      const f = p(feed);
      const ctes = [];
      if (opts.alongside) ctes.push(`alongside AS (${opts.alongside(p)})`);
      if (opts.release?.length) {
        ctes.push(`released AS (
           DELETE FROM ${this.held} WHERE feed = ${f} AND hold_key IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(opts.release))}::jsonb))
           RETURNING id, payload)`);
      } else {
        ctes.push(`released AS (SELECT 0::bigint AS id, NULL::jsonb AS payload WHERE false)`);
      }
      ctes.push(`n AS (SELECT count(*) AS n FROM released)`);
      ctes.push(`head AS (
         INSERT INTO ${this.heads} AS h (feed, seq) VALUES (${f}, 1 + (SELECT n FROM n))
         ON CONFLICT (feed) DO UPDATE SET seq = h.seq + 1 + (SELECT n FROM n)
         RETURNING seq - (SELECT n FROM n) AS first)`);
      ctes.push(`rows AS (
         SELECT 0::bigint AS k, ${p(JSON.stringify(payload))}::jsonb AS payload
         UNION ALL SELECT row_number() OVER (ORDER BY id), payload FROM released)`);
      return `WITH ${ctes.join(",\n")}
        INSERT INTO ${this.entries} (feed, seq, payload)
        SELECT ${f}, head.first + rows.k, rows.payload FROM head, rows
        RETURNING seq::text AS seq, CASE WHEN seq = (SELECT first FROM head) THEN NULL ELSE payload END AS released`;
    });
    // This entry's payload is the caller's; only released ones come back from the database.
    const rows = await directSql(tx).$queryRawUnsafe<{ seq: string; released: unknown }[]>(text, ...values);
    return rows
      .map((r) => ({ feed, seq: Number(r.seq), payload: r.released ?? payload }))
      .sort((a, b) => a.seq - b.seq);
  }

  /**
   * Locks a feed's head without moving it. A writer that decides from what it reads whether to
   * hold an entry (`appendOrHold`) locks first, in an earlier statement: a writer that releases
   * (`append` with `release`) takes the same lock, so each sees what the other committed.
   */
  async lockHead(tx: SqlExecutor, feed: string): Promise<void> {
    await directSql(tx).$executeRawUnsafe(
      `INSERT INTO ${this.heads} AS h (feed, seq) VALUES ($1, 0) ON CONFLICT (feed) DO UPDATE SET seq = h.seq`,
      feed,
    );
  }

  /**
   * Appends the entry if `ready` (an SQL condition of the caller's) holds, else holds it under
   * `key` until an append releases that key: one statement. Lock the head first (`lockHead`).
   * Returns the entry written (none when it was held).
   */
  async appendOrHold(
    tx: SqlExecutor,
    feed: string,
    key: string,
    payload: unknown,
    ready: SqlPart,
  ): Promise<FeedEntry[]> {
    const [text, values] = statement((p) => {
      const f = p(feed);
      const body = p(JSON.stringify(payload));
      return `WITH ready AS (SELECT (${ready(p)}) AS yes),
         head AS (UPDATE ${this.heads} SET seq = seq + 1 WHERE feed = ${f} AND (SELECT yes FROM ready) RETURNING seq),
         appended AS (INSERT INTO ${this.entries} (feed, seq, payload) SELECT ${f}, head.seq, ${body}::jsonb FROM head RETURNING seq),
         held AS (
           INSERT INTO ${this.held} (feed, hold_key, payload)
           SELECT ${f}, ${p(key)}, ${body}::jsonb WHERE NOT (SELECT yes FROM ready) RETURNING 1)
       SELECT (SELECT seq::text FROM appended) AS seq`;
    });
    const [r] = await directSql(tx).$queryRawUnsafe<{ seq: string | null }[]>(text, ...values);
    return r!.seq === null ? [] : [{ feed, seq: Number(r!.seq), payload }];
  }

  /** The last seq handed out on a feed (0 when nothing was written yet). */
  async head(db: SqlExecutor, feed: string): Promise<number> {
    const rows = await db.$queryRawUnsafe<{ seq: string }[]>(
      `SELECT seq::text AS seq FROM ${this.heads} WHERE feed = $1`,
      feed,
    );
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  /** The oldest seq still stored on a feed (null when none is). */
  async oldest(db: SqlExecutor, feed: string): Promise<number | null> {
    const rows = await db.$queryRawUnsafe<{ seq: string | null }[]>(
      `SELECT min(seq)::text AS seq FROM ${this.entries} WHERE feed = $1`,
      feed,
    );
    return rows[0]?.seq != null ? Number(rows[0].seq) : null;
  }

  async after<T>(db: SqlExecutor, feed: string, after: number, limit = 200): Promise<FeedEntry<T>[]> {
    const rows = await db.$queryRawUnsafe<{ seq: string; payload: T }[]>(
      `SELECT seq::text AS seq, payload FROM ${this.entries}
        WHERE feed = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
      feed,
      after,
      limit,
    );
    return rows.map((r) => ({ feed, seq: Number(r.seq), payload: r.payload }));
  }

  /** Drops entries older than `before` (screens that were away longer start from a snapshot). */
  async prune(db: SqlExecutor, before: Date): Promise<number> {
    return db.$executeRawUnsafe(`DELETE FROM ${this.entries} WHERE created_at < $1`, before);
  }
}

/**
 * Wakes the streams of `key` with `entries` once `tx` commits (nothing appended: nobody is woken).
 * The one way a feed's writer wakes its screens: from the transaction that wrote, so neither a
 * command nor an event handler has to remember it, and a rolled-back write wakes no one.
 */
export function pingAfterCommit<TTx extends SqlExecutor>(
  live: { uow: UnitOfWork<TTx>; hub: LiveHub },
  tx: TTx,
  key: string,
  entries: FeedEntry[],
): void {
  if (entries.length) live.uow.afterCommit(tx, () => live.hub.ping(key, entries));
}

/**
 * A position in several feeds at once, as the SSE event id: one seq per feed, joined by "-"
 * (e.g. "12-5"). The browser hands the last id back as `lastEventId` when it reconnects.
 */
export const cursorPattern = /^\d{1,15}(-\d{1,15}){0,7}$/;
export const formatCursor = (seqs: number[]) => seqs.join("-");
export function parseCursor(id: string | null | undefined, feeds: number): number[] | null {
  if (!id || !cursorPattern.test(id)) return null;
  const seqs = id.split("-").map(Number);
  return seqs.length === feeds ? seqs : null;
}

/** Entries read per query by a live stream. */
const feedReadLimit = 200;

export type LiveMessage<TSnapshot, TChange> =
  { kind: "snapshot"; snapshot: TSnapshot } | { kind: "change"; feed: string; change: TChange };

export interface FollowOptions<TSnapshot> {
  store: LiveFeedStore;
  db: SqlExecutor;
  hub: LiveHub;
  /** The LiveHub key whose pings wake this stream. */
  wakeKey: string;
  /** The feeds this screen follows, in a fixed order (the cursor lists them in this order). */
  feeds: string[];
  lastEventId: string | null | undefined;
  signal: AbortSignal | undefined;
  /**
   * What the screen shows now; sent first when the stream cannot resume from `lastEventId`.
   * Without it such a stream starts at the feeds' heads (a screen that loads its state itself).
   */
  snapshot?: () => Promise<TSnapshot>;
}

/**
 * The one live-stream loop. A fresh stream (or one whose cursor is unusable or older than what
 * is still stored) first gets a snapshot tagged with the feeds' heads read BEFORE the snapshot,
 * so a change committed meanwhile is sent again rather than lost; entries are whole new states
 * of one thing, so applying one twice is harmless. Then every change, each tagged with the
 * cursor just after it, so a reconnect with `lastEventId` resumes exactly there.
 */
export async function* followFeeds<TSnapshot, TChange>(
  o: FollowOptions<TSnapshot>,
): AsyncGenerator<TrackedEnvelope<LiveMessage<TSnapshot, TChange>>> {
  let cursor = parseCursor(o.lastEventId, o.feeds.length);
  if (cursor && !(await resumable(o, cursor))) cursor = null;
  for await (const carried of o.hub.wakeups(o.wakeKey, o.signal)) {
    if (!cursor) {
      cursor = await Promise.all(o.feeds.map((f) => o.store.head(o.db, f)));
      if (o.snapshot) yield tracked(formatCursor(cursor), { kind: "snapshot", snapshot: await o.snapshot() });
    }
    for (let i = 0; i < o.feeds.length; i++) {
      const feed = o.feeds[i]!;
      // What the pings carried is sent as long as it follows on from the cursor without a gap
      // (seqs of one feed commit in order, so nothing was skipped); at a gap, or when nothing
      // was carried, the feed is read from the cursor.
      let read = carried === null;
      if (carried !== null) {
        for (const e of carriedFor<TChange>(carried, feed)) {
          if (e.seq <= cursor[i]!) continue; // sent already (a read got there first)
          if (e.seq !== cursor[i]! + 1) {
            read = true;
            break;
          }
          cursor[i] = e.seq;
          yield tracked(formatCursor(cursor), { kind: "change", feed, change: e.payload });
        }
      }
      // A short batch is all there is: whatever commits after this read pings again, and a
      // ping while we send sets the wake-up pending (no second read per wake-up to find nothing).
      while (read) {
        const batch = await o.store.after<TChange>(o.db, feed, cursor[i]!, feedReadLimit);
        for (const e of batch) {
          cursor[i] = e.seq;
          yield tracked(formatCursor(cursor), { kind: "change", feed, change: e.payload });
        }
        read = batch.length === feedReadLimit;
      }
    }
  }
}

/** The carried entries of one feed, by seq (pings carry entries of other feeds of the key too). */
function carriedFor<T>(carried: unknown[], feed: string): FeedEntry<T>[] {
  return (carried as Partial<FeedEntry<T>>[])
    .filter((e): e is FeedEntry<T> => e?.feed === feed && Number.isSafeInteger(e.seq))
    .sort((a, b) => a.seq - b.seq);
}

/** A cursor resumes when no entry after it was pruned away. */
async function resumable(o: FollowOptions<unknown>, cursor: number[]): Promise<boolean> {
  for (let i = 0; i < o.feeds.length; i++) {
    const feed = o.feeds[i]!;
    const [head, oldest] = await Promise.all([o.store.head(o.db, feed), o.store.oldest(o.db, feed)]);
    if (cursor[i]! > head) return false; // a cursor from another database (or a reset)
    if (cursor[i]! < head && (oldest === null || oldest > cursor[i]! + 1)) return false;
  }
  return true;
}

/**
 * For small screens whose whole state is cheap to read (an owner's menu): on every wake-up the
 * state is re-read and sent when it differs from what the client last got. The event id is a
 * hash of the state, so a reconnect with `lastEventId` gets the state again only if it changed.
 */
export async function* followState<T>(o: {
  hub: LiveHub;
  wakeKey: string;
  lastEventId: string | null | undefined;
  signal: AbortSignal | undefined;
  read: () => Promise<T>;
}): AsyncGenerator<TrackedEnvelope<T>> {
  let last = o.lastEventId ?? null;
  for await (const _ of o.hub.wakeups(o.wakeKey, o.signal)) {
    const state = await o.read();
    const version = createHash("sha1").update(JSON.stringify(state)).digest("hex").slice(0, 20);
    if (version === last) continue;
    last = version;
    yield tracked(version, state);
  }
}
