import { z } from "zod";
import { assertProductionSecrets } from "./security/secrets.js";

/** Development-only values; assertProductionSecrets refuses them when NODE_ENV=production. */
const devDefaults = { AUTH_SECRET: "baedal-dev-secret-change-me-please" };

/** Everything a process reads from its environment, checked once at start. */
const envSchema = z.object({
  DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/baedal"),
  NATS_URL: z.string().default("nats://127.0.0.1:4222"),
  BAEDAL_NS: z.string().default("baedal"),
  // Development default only; production must set its own (no default there, see loadConfig).
  AUTH_SECRET: z.string().min(16).default(devDefaults.AUTH_SECRET),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().optional(),
  LOG_LEVEL: z.string().default("info"),
  SANDBOX_SLOW_MS: z.coerce.number().int().default(5_000),
  PAYMENT_RECONCILE_AFTER_MS: z.coerce.number().int().default(30_000),
  // A rider call still claimed after this long failed (or its process died): its fee is withdrawn.
  // Longer than any call takes (the payment RPC's timeout and a transaction).
  RIDER_CALL_RELEASE_AFTER_MS: z.coerce.number().int().positive().default(30_000),
});
export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  assertProductionSecrets(env, devDefaults); // fail fast: production never signs with a default
  return envSchema.parse(env);
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
