-- replaces checksum 8c61ead028546cc1f478b7ed8a13609fc5b8536fd3d06a363b97d4b672692f62
-- (this file also created the live-feed tables; they are now the shared set
-- platform/migrations/live-feed, applied before this file, IF NOT EXISTS)
-- The board follows an order past READY (rider assigned, picked up, delivered) and shows how a
-- cancelled order ended (who cancelled, what was refunded).
ALTER TABLE tickets
  ADD COLUMN delivery_status text CHECK (delivery_status IN ('RIDER_ASSIGNED', 'PICKED_UP', 'DELIVERED')),
  ADD COLUMN rider_name      text,
  ADD COLUMN cancelled_by    text CHECK (cancelled_by IN ('CUSTOMER', 'SHOP', 'ADMIN')),
  ADD COLUMN refunded_krw    integer CHECK (refunded_krw >= 0);
