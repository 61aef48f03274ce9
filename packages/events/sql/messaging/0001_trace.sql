-- The trace context (W3C traceparent / tracestate) of the transaction that wrote the event; the
-- relay publishes it as NATS headers so every consumer continues the trace that caused the event.
ALTER TABLE :schema.outbox ADD COLUMN IF NOT EXISTS headers jsonb;
