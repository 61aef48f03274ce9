-- replaces checksum bc7180f660a6d257da8655d45cfacea01ccb6be0329f2ca5510c22d2bb7d83a8
-- (this file also created the live-feed tables; they are now the shared set
-- platform/migrations/live-feed, applied before this file, IF NOT EXISTS)
-- My page's feed moves onto the platform's live feed (platform/live-feed.ts), the one mechanism
-- of every live screen: one feed per customer (feed = customer id), each entry's payload
-- { kind, orderId, payload } as the customer's stream sends it. My page's own feed tables
-- (0001) are moved over and dropped.
INSERT INTO live_feed_heads (feed, seq) SELECT customer_id::text, seq FROM feed_heads;
INSERT INTO live_feed_entries (feed, seq, payload, created_at)
  SELECT customer_id::text, seq, jsonb_build_object('kind', kind, 'orderId', order_id, 'payload', payload), created_at
    FROM feed_entries;
DROP TABLE feed_entries;
DROP TABLE feed_heads;
