import { z } from "zod";
import { loadEventsConfig } from "@baedal/events";
import {
  assertNoDevelopmentSwitches,
  ConfigError,
  resolveSecrets,
  type ProcessSecrets,
} from "./security/secrets.js";

/**
 * Everything an API process (a context, the migrator, the seed) reads from its environment, in one
 * schema (README "Environment" lists each variable; a unit test keeps the two in step). This is the
 * only file of the API that reads `process.env` (the lint forbids it elsewhere); the messaging
 * knobs are `@baedal/events`' own (packages/events/src/config.ts), the Next apps' in web/config.ts.
 *
 * Two ways in: `loadConfig()` parses the whole environment once when a process starts (a bad value
 * stops it with a one-line message), and `setting(name)` reads one variable, typed and defaulted, at
 * the moment it is needed — for the values that were always read that way (at import, or per call
 * so that a test can change `process.env` between two calls).
 */
const wholeNumber = (name: string, min: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`);
/** A `count/window` budget (e.g. `50/15m`); the default sits with its rule in the owning context's limits.ts. */
const budget = z.string().optional();

export const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/baedal"),
  NATS_URL: z.string().default("nats://127.0.0.1:4222"),
  BAEDAL_NS: z.string().default("baedal"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().optional(),
  LOG_LEVEL: z.string().default("info"),
  // The `process` field of every log line (npm start, the tests and the bench name their processes).
  BAEDAL_PROCESS: z.string().default("baedal"),
  BAEDAL_DRAIN_TIMEOUT_MS: wholeNumber("BAEDAL_DRAIN_TIMEOUT_MS", 0).default(20_000),
  BAEDAL_TRACE_EXPORT: z.string().default(""),
  // Read by the OTLP exporter itself; here because either one switches the export on.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  // Secrets: resolved (environment, else .local/secrets/) and checked by security/secrets.ts.
  AUTH_SECRET: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  // Better Auth's base URL: the customer app, where the sign-in pages are.
  PUBLIC_WEB_URL: z.string().default("http://127.0.0.1:3000"),
  ALLOWED_ORIGINS: z.string().optional(),
  TRUSTED_PROXIES: z.string().default("loopback"),
  MAX_BODY_BYTES: wholeNumber("MAX_BODY_BYTES", 1_024).default(100_000),
  MAX_BATCH_SIZE: wholeNumber("MAX_BATCH_SIZE", 1).default(50),
  COOKIE_SECURE: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE: z.string().optional(),
  RATE_LIMIT_SIGNIN_PER_IP: budget,
  RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT_IP: budget,
  RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: budget,
  RATE_LIMIT_SIGNUP_PER_IP: budget,
  RATE_LIMIT_ORDER_PER_CUSTOMER: budget,
  SANDBOX_SLOW_MS: z.coerce.number().int().default(5_000),
  PAYMENT_RECONCILE_AFTER_MS: z.coerce.number().int().default(5_000),
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(1_500),
  ORDER_CHECKOUTS_IN_FLIGHT_PER_CUSTOMER: z.coerce.number().int().positive().default(2),
  // A rider call still claimed after this long failed (or its process died): its fee is withdrawn.
  // Longer than any call takes (the payment RPC's timeout and a transaction).
  RIDER_CALL_RELEASE_AFTER_MS: z.coerce.number().int().positive().default(30_000),
});
export type BaseConfig = z.infer<typeof envSchema>;
/** A serving process's configuration: the environment plus its secrets. */
export type Config = BaseConfig & ProcessSecrets;
type Shape = typeof envSchema.shape;
export type SettingName = keyof Shape;

const oneLine = (issues: z.core.$ZodIssue[]) =>
  issues
    .map((i) =>
      i.path.length && !i.message.startsWith(String(i.path[0]))
        ? `${i.path.join(".")}: ${i.message}`
        : i.message,
    )
    .join("; ");

/** For tools that sign nothing and serve nothing (the migrator, the seed): no secrets needed. */
export function loadBaseConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(oneLine(parsed.error.issues));
  return parsed.data;
}

/**
 * For a process that serves: fails fast (a ConfigError with a one-line message) on a missing or
 * weak secret, on a development switch left on in production, or on a bad value (the messaging
 * knobs included). `localDir`: where this installation's generated secrets are read from outside
 * production (tests point it elsewhere).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, localDir?: string): Config {
  assertNoDevelopmentSwitches(env);
  const secrets = resolveSecrets(env, localDir);
  const base = loadBaseConfig(env);
  try {
    loadEventsConfig(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return { ...base, ...secrets };
}

/**
 * One variable from `process.env` as it is now, typed and defaulted by the schema above. For
 * values read at import or per call; a ConfigError names the variable when its value is bad.
 */
export function setting<K extends SettingName>(name: K): z.output<Shape[K]> {
  const parsed = envSchema.shape[name].safeParse(process.env[name]);
  if (!parsed.success) {
    const why = oneLine(parsed.error.issues);
    throw new ConfigError(why.startsWith(name) ? why : `${name}: ${why}`);
  }
  return parsed.data as z.output<Shape[K]>;
}

/** The `count/window` budgets (RATE_LIMIT_*) as set now; each rule in its context's limits.ts has its default. */
export type RateLimitEnv = Partial<Record<string, string>>;
export function rateLimitEnv(): RateLimitEnv {
  const names = Object.keys(envSchema.shape).filter((n) => n.startsWith("RATE_LIMIT_")) as SettingName[];
  return Object.fromEntries(names.map((n) => [n, setting(n) as string | undefined]));
}

/** The security settings' raw values (security/config.ts derives the SecurityConfig from them). */
export function securityEnv(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema
    .pick({
      NODE_ENV: true,
      ALLOWED_ORIGINS: true,
      TRUSTED_PROXIES: true,
      MAX_BODY_BYTES: true,
      MAX_BATCH_SIZE: true,
      COOKIE_SECURE: true,
    })
    .safeParse(env);
  if (!parsed.success) throw new Error(oneLine(parsed.error.issues));
  return parsed.data;
}

export const contextNames = [
  "identity",
  "catalog",
  "review",
  "order",
  "payment",
  "store",
  "delivery",
  "mypage",
  "notification",
  "report",
] as const;
export type ContextName = (typeof contextNames)[number];

/** Default HTTP port of each context when it runs as its own process. */
export const defaultPorts: Record<ContextName, number> = {
  identity: 4100,
  catalog: 4101,
  review: 4102,
  order: 4103,
  payment: 4104,
  store: 4105,
  delivery: 4106,
  mypage: 4107,
  notification: 4108,
  report: 4109,
};
/** Port of the all-in-one development process. */
export const allInOnePort = 4000;
