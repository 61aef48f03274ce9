-- Rate limit counters (platform/security/rate-limit.ts, rate-limiter-flexible's Postgres store):
-- one row per counted key, shared by every replica of the context. The library expects exactly
-- these columns; `expire` is epoch milliseconds. Expired rows are deleted by the library.
CREATE TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX rate_limits_expire_idx ON rate_limits (expire);
