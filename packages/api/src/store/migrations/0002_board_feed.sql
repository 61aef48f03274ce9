-- The board follows an order past READY (rider assigned, picked up, delivered) and shows how a
-- cancelled order ended (who cancelled, what was refunded).
ALTER TABLE tickets
  ADD COLUMN delivery_status text CHECK (delivery_status IN ('RIDER_ASSIGNED', 'PICKED_UP', 'DELIVERED')),
  ADD COLUMN rider_name      text,
  ADD COLUMN cancelled_by    text CHECK (cancelled_by IN ('CUSTOMER', 'SHOP', 'ADMIN')),
  ADD COLUMN refunded_krw    integer CHECK (refunded_krw >= 0);

-- The shops' live board feeds (platform/live-feed.ts): one feed per shop, written in the same
-- transaction as the ticket change; the head row serialises appends so seq order = commit order.
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
