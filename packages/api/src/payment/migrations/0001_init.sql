CREATE TABLE payments (
  id          uuid PRIMARY KEY,
  order_id    uuid NOT NULL UNIQUE,
  customer_id uuid,
  amount_krw  integer NOT NULL CHECK (amount_krw >= 0),
  status      text NOT NULL CHECK (status IN ('AUTHORIZED', 'VOIDED', 'REFUNDED')),
  card_last4  text,
  gateway_ref text,
  created_at  timestamptz(6) NOT NULL DEFAULT now(),
  updated_at  timestamptz(6) NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entries (
  id         uuid PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('CHARGE', 'VOID', 'REFUND', 'RIDER_FEE', 'RIDER_FEE_CANCELLED', 'RIDER_SETTLEMENT')),
  order_id   uuid NOT NULL,
  amount_krw integer NOT NULL,
  reference  text,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  UNIQUE (kind, order_id)
);

CREATE TABLE rider_fees (
  id            uuid PRIMARY KEY,
  order_id      uuid NOT NULL UNIQUE,
  shop_id       uuid NOT NULL,
  fee_krw       integer NOT NULL CHECK (fee_krw > 0),
  status        text NOT NULL CHECK (status IN ('REGISTERED', 'SETTLED', 'CANCELLED')),
  rider_call_id uuid,
  rider_id      uuid,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  settled_at    timestamptz(6)
);

CREATE TABLE settlements (
  id            uuid PRIMARY KEY,
  order_id      uuid NOT NULL UNIQUE,
  rider_call_id uuid NOT NULL UNIQUE,
  rider_id      uuid NOT NULL,
  fee_krw       integer NOT NULL CHECK (fee_krw > 0),
  created_at    timestamptz(6) NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_charges (
  idempotency_key text PRIMARY KEY,
  amount_krw      integer NOT NULL,
  card_last4      text NOT NULL,
  status          text NOT NULL CHECK (status IN ('APPROVED', 'REFUNDED')),
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  refunded_at     timestamptz(6)
);
