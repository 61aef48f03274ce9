import { z } from "zod";
import { assertNoDevelopmentSwitches, resolveSecrets, type ProcessSecrets } from "./security/secrets.js";

/** What every process reads from its environment, checked once at start. No secrets here. */
const envSchema = z.object({
  DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/baedal"),
  NATS_URL: z.string().default("nats://127.0.0.1:4222"),
  BAEDAL_NS: z.string().default("baedal"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().optional(),
  LOG_LEVEL: z.string().default("info"),
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

/** For tools that sign nothing and serve nothing (the migrator, the seed): no secrets needed. */
export function loadBaseConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
  return envSchema.parse(env);
}

/**
 * For a process that serves: fails fast (a ConfigError with a one-line message) on a missing or
 * weak secret, or on a development switch left on in production. `localDir`: where this
 * installation's generated secrets are read from outside production (tests point it elsewhere).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, localDir?: string): Config {
  assertNoDevelopmentSwitches(env);
  const secrets = resolveSecrets(env, localDir);
  return { ...envSchema.parse(env), ...secrets };
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
