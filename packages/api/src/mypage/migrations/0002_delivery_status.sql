-- The rider call's state from delivery's events, so My page shows a call cancelled with its order,
-- and the feed entries that carry its changes.
ALTER TABLE order_views
  ADD COLUMN delivery_status text
    CHECK (delivery_status IN ('CALLED', 'ACCEPTED', 'PICKED_UP', 'COMPLETED', 'CANCELLED'));

ALTER TABLE feed_entries DROP CONSTRAINT feed_entries_kind_check;
ALTER TABLE feed_entries
  ADD CONSTRAINT feed_entries_kind_check CHECK (kind IN ('ORDER', 'DELIVERY', 'NOTIFICATION'));
