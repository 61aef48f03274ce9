-- My page's feed moves onto the platform's live feed (platform/live-feed.ts), the one mechanism
-- of every live screen: one feed per customer (feed = customer id), each entry's payload
-- { kind, orderId, payload } as the customer's stream sends it. Entries that must wait for
-- another (a notification before the status it announces) are held in live_feed_held instead
-- of being retried through NATS.
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

CREATE TABLE live_feed_held (
  id       bigserial      PRIMARY KEY,
  feed     text           NOT NULL,
  hold_key text           NOT NULL,
  payload  jsonb          NOT NULL,
  held_at  timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX live_feed_held_feed_hold_key_idx ON live_feed_held (feed, hold_key);

INSERT INTO live_feed_heads (feed, seq) SELECT customer_id::text, seq FROM feed_heads;
INSERT INTO live_feed_entries (feed, seq, payload, created_at)
  SELECT customer_id::text, seq, jsonb_build_object('kind', kind, 'orderId', order_id, 'payload', payload), created_at
    FROM feed_entries;
DROP TABLE feed_entries;
DROP TABLE feed_heads;
