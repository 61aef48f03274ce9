CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text        NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash text        NOT NULL,
  name          text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('CUSTOMER', 'SHOP_OWNER', 'RIDER', 'ADMIN')),
  shop_id       uuid,
  phone         text        NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);
