-- VOIDING: a stale checkout attempt claimed by the reconciler, committed before payment is asked
-- to void it, so that no retry of the checkout can place it meanwhile (VOIDED once payment
-- confirmed the void).
ALTER TABLE checkout_attempts DROP CONSTRAINT checkout_attempts_status_check;
ALTER TABLE checkout_attempts ADD CONSTRAINT checkout_attempts_status_check
  CHECK (status IN ('PENDING', 'UNKNOWN', 'PLACED', 'DECLINED', 'VOIDING', 'VOIDED'));
