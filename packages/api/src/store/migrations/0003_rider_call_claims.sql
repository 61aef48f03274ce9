-- A rider call under way (store/service.ts callRider): committed before payment is asked to
-- register the fee, removed in the transaction that records the call. A claim that outlives its
-- call (the recording failed, the process died) is released: payment withdraws the attempt's
-- fee, then the claim goes — so no fee stays registered without its rider call.
CREATE TABLE rider_call_claims (
  id         uuid           PRIMARY KEY,
  ticket_id  uuid           NOT NULL UNIQUE REFERENCES tickets (id),
  order_id   uuid           NOT NULL,
  fee_krw    integer        NOT NULL CHECK (fee_krw > 0),
  claimed_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX rider_call_claims_claimed ON rider_call_claims (claimed_at);
