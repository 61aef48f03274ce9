-- A rider call that the store did not record gives its fee back (withdrawRiderFee): the
-- registration of that call attempt is undone (the fee row and its RIDER_FEE ledger line go) and
-- the attempt is remembered here, so that its registration arriving late is refused.
ALTER TABLE rider_fees ADD COLUMN attempt_id uuid;

CREATE TABLE rider_fee_withdrawals (
  attempt_id   uuid           PRIMARY KEY,
  order_id     uuid           NOT NULL,
  -- What was given back: null when nothing of that attempt was registered (yet).
  fee_krw      integer,
  withdrawn_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX rider_fee_withdrawals_order ON rider_fee_withdrawals (order_id);
