-- Messaging tables every context owns in its own schema (applied by the migrator as
-- 0000_messaging for each context; ":schema" is replaced by the context's schema).

-- Events written in the same transaction as the state change; published by the outbox relay.
CREATE TABLE IF NOT EXISTS :schema.outbox (
  seq          bigserial PRIMARY KEY,
  id           uuid        NOT NULL UNIQUE,
  subject      text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON :schema.outbox (seq) WHERE published_at IS NULL;

-- Event ids a consumer has applied, stored in the same transaction as the effects.
CREATE TABLE IF NOT EXISTS :schema.processed_event (
  consumer   text        NOT NULL,
  event_id   uuid        NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Events a consumer gave up on after bounded redelivery, for an operator to replay or discard.
CREATE TABLE IF NOT EXISTS :schema.dead_letter (
  id          bigserial PRIMARY KEY,
  consumer    text        NOT NULL,
  event_id    uuid,
  subject     text        NOT NULL,
  payload     jsonb       NOT NULL,
  error       text        NOT NULL,
  attempts    integer     NOT NULL,
  parked_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolution  text
);
