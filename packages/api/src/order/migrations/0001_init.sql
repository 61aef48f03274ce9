CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  customer_id      uuid NOT NULL,
  shop_id          uuid NOT NULL,
  shop_name        text NOT NULL,
  shop_address     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('PLACED', 'ACCEPTED', 'COOKING', 'READY', 'RIDER_ASSIGNED', 'PICKED_UP', 'DELIVERED', 'CANCELLED')),
  seq              integer NOT NULL,
  items_total_krw  integer NOT NULL CHECK (items_total_krw >= 0),
  delivery_fee_krw integer NOT NULL CHECK (delivery_fee_krw >= 0),
  total_krw        integer NOT NULL CHECK (total_krw > 0),
  delivery_address text NOT NULL,
  phone            text NOT NULL,
  note             text NOT NULL,
  prep_minutes     integer,
  eta_at           timestamptz(6),
  rider_call_id    uuid,
  rider_id         uuid,
  rider_name       text,
  cancelled_by     text,
  cancel_reason    text,
  refunded_krw     integer,
  placed_at        timestamptz(6) NOT NULL,
  updated_at       timestamptz(6) NOT NULL
);
CREATE INDEX orders_customer_id_placed_at_idx ON orders (customer_id, placed_at);
CREATE INDEX orders_shop_id_placed_at_idx ON orders (shop_id, placed_at);

CREATE TABLE order_lines (
  id             uuid PRIMARY KEY,
  order_id       uuid NOT NULL REFERENCES orders (id),
  menu_item_id   uuid NOT NULL,
  name           text NOT NULL,
  unit_price_krw integer NOT NULL CHECK (unit_price_krw >= 0),
  quantity       integer NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_lines_order_id_idx ON order_lines (order_id);

CREATE TABLE checkout_attempts (
  id              uuid PRIMARY KEY,
  customer_id     uuid NOT NULL,
  idempotency_key text NOT NULL,
  request_hash    text NOT NULL,
  status          text NOT NULL CHECK (status IN ('PENDING', 'UNKNOWN', 'PLACED', 'DECLINED', 'VOIDED')),
  decline_code    text,
  decline_message text,
  draft           jsonb NOT NULL,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  updated_at      timestamptz(6) NOT NULL DEFAULT now(),
  UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX checkout_attempts_status_updated_at_idx ON checkout_attempts (status, updated_at);

CREATE TABLE shop_replicas (
  shop_id          uuid PRIMARY KEY,
  owner_id         uuid NOT NULL,
  name             text NOT NULL,
  category         text NOT NULL,
  address          text NOT NULL,
  is_open          boolean NOT NULL,
  min_order_krw    integer NOT NULL,
  delivery_fee_krw integer NOT NULL,
  updated_at       timestamptz(6) NOT NULL DEFAULT now()
);

CREATE TABLE menu_item_replicas (
  menu_item_id uuid PRIMARY KEY,
  shop_id      uuid NOT NULL,
  name         text NOT NULL,
  price_krw    integer NOT NULL,
  sold_out     boolean NOT NULL,
  listed       boolean NOT NULL,
  revision     integer NOT NULL,
  updated_at   timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX menu_item_replicas_shop_id_idx ON menu_item_replicas (shop_id);
