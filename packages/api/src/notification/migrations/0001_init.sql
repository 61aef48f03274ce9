CREATE TABLE notifications (
  id             uuid PRIMARY KEY,
  recipient_id   uuid           NOT NULL,
  recipient_role text           NOT NULL CHECK (recipient_role IN ('CUSTOMER', 'SHOP_OWNER', 'RIDER', 'ADMIN')),
  order_id       uuid,
  kind           text           NOT NULL,
  title          text           NOT NULL,
  body           text           NOT NULL,
  read_at        timestamptz(6),
  created_at     timestamptz(6) NOT NULL
);
CREATE INDEX notifications_recipient_id_created_at_idx ON notifications (recipient_id, created_at);
CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL;

CREATE TABLE webhook_subscriptions (
  recipient_id uuid PRIMARY KEY,
  url          text           NOT NULL,
  secret       text           NOT NULL,
  active       boolean        NOT NULL DEFAULT true,
  created_at   timestamptz(6) NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY,
  notification_id uuid           NOT NULL,
  recipient_id    uuid           NOT NULL,
  url             text           NOT NULL,
  payload         jsonb          NOT NULL,
  status          text           NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts        integer        NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(6) NOT NULL,
  last_error      text,
  delivered_at    timestamptz(6)
);
CREATE INDEX webhook_deliveries_status_next_attempt_at_idx ON webhook_deliveries (status, next_attempt_at);
