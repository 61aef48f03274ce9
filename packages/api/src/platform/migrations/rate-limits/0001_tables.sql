-- Rate limit counters (platform/security/rate-limit.ts, rate-limiter-flexible's Postgres store):
-- one row per counted key, shared by every replica of the context. The library expects exactly
-- these columns; `expire` is epoch milliseconds. Expired rows are deleted by the library.
-- IF NOT EXISTS: identity's and order's own 0002 migrations created this table before this
-- shared set existed; on those databases this is a no-op.
CREATE TABLE IF NOT EXISTS rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX IF NOT EXISTS rate_limits_expire_idx ON rate_limits (expire);
