-- Kitchen tickets, one per order. A CANCELLED row with no lines is a tombstone for an order
-- cancelled before its OrderPlaced reached the store (a late OrderPlaced is then ignored).
CREATE TABLE tickets (
  id                uuid        PRIMARY KEY,
  order_id          uuid        NOT NULL UNIQUE,
  shop_id           uuid        NOT NULL,
  shop_name         text        NOT NULL,
  shop_address      text        NOT NULL,
  status            text        NOT NULL
                    CHECK (status IN ('NEW', 'ACCEPTED', 'COOKING', 'READY', 'REJECTED', 'CANCELLED')),
  lines             jsonb       NOT NULL,
  items_total_krw   integer     NOT NULL CHECK (items_total_krw >= 0),
  total_krw         integer     NOT NULL CHECK (total_krw >= 0),
  delivery_address  text        NOT NULL,
  phone             text        NOT NULL,
  note              text        NOT NULL,
  prep_minutes      integer     CHECK (prep_minutes BETWEEN 1 AND 180),
  reject_reason     text,
  cancel_reason     text,
  rider_called_at   timestamptz,
  rider_fee_krw     integer     CHECK (rider_fee_krw > 0),
  rider_destination text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (rider_called_at IS NULL OR status = 'READY' OR status = 'CANCELLED')
);
CREATE INDEX tickets_shop_created ON tickets (shop_id, created_at DESC);
CREATE INDEX tickets_shop_active ON tickets (shop_id) WHERE status IN ('NEW', 'ACCEPTED', 'COOKING', 'READY');
