CREATE TABLE deliveries (
  rider_call_id uuid PRIMARY KEY,
  order_id      uuid           NOT NULL,
  shop_id       uuid,
  shop_name     text,
  rider_id      uuid,
  rider_name    text,
  fee_krw       integer        NOT NULL,
  status        text           NOT NULL CHECK (status IN ('CALLED', 'ACCEPTED', 'PICKED_UP', 'COMPLETED', 'CANCELLED')),
  settlement    text           CHECK (settlement IN ('PENDING', 'SETTLED')),
  created_at    timestamptz(6) NOT NULL,
  completed_at  timestamptz(6),
  settled_at    timestamptz(6),
  day           date           NOT NULL
);
CREATE INDEX deliveries_day_idx ON deliveries (day);

CREATE TABLE orders (
  order_id     uuid PRIMARY KEY,
  shop_id      uuid           NOT NULL,
  day          date           NOT NULL,
  total_krw    integer        NOT NULL,
  status       text           NOT NULL,
  seq          integer        NOT NULL,
  placed_at    timestamptz(6),
  cancelled    boolean        NOT NULL DEFAULT false,
  refunded_krw integer        NOT NULL DEFAULT 0
);
CREATE INDEX orders_day_idx ON orders (day);
