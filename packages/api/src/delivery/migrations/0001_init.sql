-- One rider call per order, its rider and the settlement of its fee.
CREATE TABLE rider_calls (
  id                uuid        PRIMARY KEY,
  order_id          uuid        NOT NULL UNIQUE,
  shop_id           uuid        NOT NULL,
  shop_name         text        NOT NULL,
  pickup_address    text        NOT NULL,
  destination       text        NOT NULL,
  fee_krw           integer     NOT NULL CHECK (fee_krw > 0),
  status            text        NOT NULL
                    CHECK (status IN ('CALLED', 'ACCEPTED', 'PICKED_UP', 'COMPLETED', 'CANCELLED')),
  rider_id          uuid,
  rider_name        text,
  cancel_reason     text,
  settlement_status text        CHECK (settlement_status IN ('PENDING', 'SETTLED')),
  settlement_id     uuid,
  settle_attempts   integer     NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  accepted_at       timestamptz,
  picked_up_at      timestamptz,
  completed_at      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (status IN ('CALLED', 'CANCELLED') OR rider_id IS NOT NULL),
  CHECK ((status = 'COMPLETED') = (settlement_status IS NOT NULL)),
  CHECK (settlement_status IS DISTINCT FROM 'SETTLED' OR settlement_id IS NOT NULL)
);
CREATE INDEX rider_calls_open ON rider_calls (created_at DESC) WHERE status = 'CALLED';
CREATE INDEX rider_calls_rider ON rider_calls (rider_id, accepted_at);
CREATE INDEX rider_calls_settle_pending ON rider_calls (updated_at) WHERE settlement_status = 'PENDING';

-- Who rides, and whether they take calls right now.
CREATE TABLE riders (
  rider_id   uuid        PRIMARY KEY,
  name       text        NOT NULL,
  online     boolean     NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Orders cancelled before their rider call arrived (a late RiderCallRequested opens no call).
CREATE TABLE cancelled_orders (
  order_id     uuid        PRIMARY KEY,
  reason       text        NOT NULL,
  cancelled_at timestamptz NOT NULL DEFAULT now()
);
