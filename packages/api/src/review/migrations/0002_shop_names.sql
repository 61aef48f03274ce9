-- Shop names, from catalog's ShopUpdated, so the review queue says whose item it is.
CREATE TABLE shops (
  shop_id    uuid           PRIMARY KEY,
  name       text           NOT NULL,
  updated_at timestamptz(6) NOT NULL DEFAULT now()
);
