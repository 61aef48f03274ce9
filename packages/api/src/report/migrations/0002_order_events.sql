-- Customer service: every event the report reads about an order, from every source, in one
-- history per order (order, store, delivery, payment).
CREATE TABLE order_events (
  event_id     uuid           PRIMARY KEY,
  order_id     uuid           NOT NULL,
  source       text           NOT NULL,
  type         text           NOT NULL,
  occurred_at  timestamptz(6) NOT NULL,
  data         jsonb          NOT NULL,
  recorded_at  timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, occurred_at);
