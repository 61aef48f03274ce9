-- The riders' live feeds (platform/live-feed.ts): "open" (calls every rider may take) and
-- "rider:<id>" (a rider's own calls), written in the same transaction as the call change; the
-- head row serialises appends so seq order = commit order.
CREATE TABLE live_feed_heads (
  feed text   PRIMARY KEY,
  seq  bigint NOT NULL
);

CREATE TABLE live_feed_entries (
  feed       text           NOT NULL,
  seq        bigint         NOT NULL,
  payload    jsonb          NOT NULL,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (feed, seq)
);
CREATE INDEX live_feed_entries_created ON live_feed_entries (created_at);
