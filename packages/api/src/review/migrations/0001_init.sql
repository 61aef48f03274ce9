CREATE TABLE review_cases (
  id           uuid PRIMARY KEY,
  menu_item_id uuid        NOT NULL,
  shop_id      uuid        NOT NULL,
  revision     integer     NOT NULL CHECK (revision > 0),
  name         text        NOT NULL,
  description  text        NOT NULL DEFAULT '',
  price_krw    integer     NOT NULL CHECK (price_krw > 0),
  category     text        NOT NULL,
  image_url    text,
  status       text        NOT NULL CHECK (status IN ('OPEN', 'APPROVED', 'REJECTED', 'CLOSED')),
  reason       text,
  decided_by   uuid,
  decided_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (menu_item_id, revision)
);
CREATE INDEX review_cases_status_created_at_idx ON review_cases (status, created_at);
