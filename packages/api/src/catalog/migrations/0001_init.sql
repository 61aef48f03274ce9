CREATE TABLE shops (
  id                   uuid PRIMARY KEY,
  owner_id             uuid        NOT NULL,
  name                 text        NOT NULL,
  category             text        NOT NULL CHECK (category IN ('FISH', 'CHICKEN', 'PIZZA', 'KOREAN', 'BURGER', 'DESSERT')),
  description          text        NOT NULL DEFAULT '',
  address              text        NOT NULL,
  is_open              boolean     NOT NULL DEFAULT false,
  min_order_krw        integer     NOT NULL CHECK (min_order_krw >= 0),
  delivery_fee_krw     integer     NOT NULL CHECK (delivery_fee_krw >= 0),
  est_delivery_minutes integer     NOT NULL CHECK (est_delivery_minutes > 0),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE menu_items (
  id               uuid PRIMARY KEY,
  shop_id          uuid        NOT NULL REFERENCES shops (id),
  listed_name      text,
  listed_price_krw integer     CHECK (listed_price_krw > 0),
  name             text        NOT NULL,
  description      text        NOT NULL DEFAULT '',
  price_krw        integer     NOT NULL CHECK (price_krw > 0),
  category         text        NOT NULL,
  image_url        text,
  revision         integer     NOT NULL CHECK (revision > 0),
  review_status    text        NOT NULL CHECK (review_status IN ('IN_REVIEW', 'LISTED', 'REJECTED', 'WITHDRAWN')),
  reject_reason    text,
  sold_out         boolean     NOT NULL DEFAULT false,
  deleted_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((listed_name IS NULL) = (listed_price_krw IS NULL))
);
CREATE INDEX menu_items_shop_id_idx ON menu_items (shop_id);
