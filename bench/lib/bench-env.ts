/**
 * Environment of the processes under test: production defaults everywhere, except
 * - logs at `warn`, so the run measures the system rather than JSON lines written to a pipe;
 * - rate limits meant for abusive clients (each context's limits.ts: packages/api/src/identity, order) set so
 *   high that the driver — each of its customers places hundreds of orders a minute — never
 *   meets them. The limiter still runs and counts in Postgres, as in production.
 * BENCH_EXTRA_ENV (`A=1,B=2`) adds or overrides variables without editing this file.
 */
export function benchProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    RATE_LIMIT_ORDER_PER_CUSTOMER: "1000000/1m",
    RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP: "1000000/1m",
    RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: "1000000/1m",
    RATE_LIMIT_SIGNIN_PER_IP: "1000000/1m",
    RATE_LIMIT_SIGNUP_PER_IP: "1000000/1m",
  };
  for (const pair of (process.env.BENCH_EXTRA_ENV ?? "").split(",").filter(Boolean)) {
    const [k, ...v] = pair.split("=");
    if (k) env[k.trim()] = v.join("=").trim();
  }
  return env;
}
