CREATE TABLE order_views (
  order_id         uuid PRIMARY KEY,
  customer_id      uuid        NOT NULL,
  shop_id          uuid        NOT NULL,
  shop_name        text,
  status           text        NOT NULL,
  seq              integer     NOT NULL,
  lines            jsonb       NOT NULL DEFAULT '[]',
  items_total_krw  integer,
  delivery_fee_krw integer,
  total_krw        integer,
  delivery_address text,
  placed_at        timestamptz(6),
  prep_minutes     integer,
  eta_at           timestamptz(6),
  rider_name       text,
  cancelled_by     text,
  cancel_reason    text,
  refunded_krw     integer,
  timeline         jsonb       NOT NULL DEFAULT '[]',
  updated_at       timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX order_views_customer_id_placed_at_idx ON order_views (customer_id, placed_at);

CREATE TABLE feed_heads (
  customer_id uuid PRIMARY KEY,
  seq         bigint NOT NULL
);

CREATE TABLE feed_entries (
  customer_id uuid           NOT NULL,
  seq         bigint         NOT NULL,
  kind        text           NOT NULL CHECK (kind IN ('ORDER', 'NOTIFICATION')),
  order_id    uuid,
  payload     jsonb          NOT NULL,
  created_at  timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, seq)
);
