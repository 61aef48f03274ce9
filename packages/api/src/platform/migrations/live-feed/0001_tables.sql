-- Live feeds (platform/live-feed.ts), the one mechanism behind every live screen, kept in the
-- schema of each context that has one (see platform/schemas.ts, sharedTables). Entries are
-- written in the same transaction as the change they show; the head row serialises appends so
-- that within a feed seq order = commit order. Entries that must wait for another (a
-- notification before the status it announces) are held in live_feed_held under a key.
-- IF NOT EXISTS: these tables were first created by the contexts' own migrations (store 0002,
-- delivery 0002, mypage 0003) before this shared set existed; on those databases this is a no-op.
CREATE TABLE IF NOT EXISTS live_feed_heads (
  feed text   PRIMARY KEY,
  seq  bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS live_feed_entries (
  feed       text           NOT NULL,
  seq        bigint         NOT NULL,
  payload    jsonb          NOT NULL,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (feed, seq)
);
CREATE INDEX IF NOT EXISTS live_feed_entries_created ON live_feed_entries (created_at);

CREATE TABLE IF NOT EXISTS live_feed_held (
  id       bigserial      PRIMARY KEY,
  feed     text           NOT NULL,
  hold_key text           NOT NULL,
  payload  jsonb          NOT NULL,
  held_at  timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS live_feed_held_feed_hold_key_idx ON live_feed_held (feed, hold_key);
