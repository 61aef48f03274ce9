-- Requests to payment per checkout attempt: `sends` is counted before a request leaves, `unsent`
-- after one provably never reached payment (breaker open here, no responder, or payment said it
-- charged nothing). An attempt whose every send was unsent is UNSENT: nothing can be charged, so
-- it is closed without asking payment to void it (a retry with its key may still re-drive it).
ALTER TABLE checkout_attempts
  ADD COLUMN sends integer NOT NULL DEFAULT 1,
  ADD COLUMN unsent integer NOT NULL DEFAULT 0;
ALTER TABLE checkout_attempts DROP CONSTRAINT checkout_attempts_status_check;
ALTER TABLE checkout_attempts ADD CONSTRAINT checkout_attempts_status_check
  CHECK (status IN ('PENDING', 'UNKNOWN', 'UNSENT', 'PLACED', 'DECLINED', 'VOIDING', 'VOIDED'));
