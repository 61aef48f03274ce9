-- A rider fee cancelled by its order's cancellation is settled after all when the delivery
-- completed anyway (the cancellation lost the race against the pickup): the cancellation's
-- ledger line is then reversed by a RIDER_FEE_REINSTATED line.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('CHARGE', 'VOID', 'REFUND', 'RIDER_FEE', 'RIDER_FEE_CANCELLED', 'RIDER_FEE_REINSTATED', 'RIDER_SETTLEMENT'));
