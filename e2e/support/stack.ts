/**
 * The running stack an E2E run talks to, as global-setup.ts started it: one process per API
 * context, both Next apps, and a control endpoint to stop/start a context (e.g. payment) from a
 * test. Tests and helpers read it with `stack()`; global setup hands it over in an env variable
 * (Playwright passes the runner's environment to its workers).
 */
import type { ContextName } from "@baedal/api/testing";

export type { ContextName };

export interface Stack {
  /** Customer app (apps/web), e.g. http://127.0.0.1:41234 ("" when BAEDAL_E2E_APPS left it out). */
  webUrl: string;
  /** Shop owner / rider / admin console (apps/shop-console; "" when left out). */
  consoleUrl: string;
  /** Base URL of each context's own process (`${url}/trpc`, `/healthz`). */
  api: Record<ContextName, string>;
  /** The AUTH_SECRET the context processes verify tokens with (issueToken for API actors). */
  authSecret: string;
  /** This run's database (baedal_e2e_<random>) and NATS namespace. */
  databaseUrl: string;
  natsUrl: string;
  ns: string;
  /** Where the processes' logs go (one file per process). */
  logDir: string;
  /** Control endpoint served by the Playwright runner process (see global-setup.ts). */
  controlUrl: string;
}

export const stackEnvVar = "BAEDAL_E2E_STACK";

let cached: Stack | null = null;

/** The stack of this run; throws a clear message when global setup did not run. */
export function stack(): Stack {
  if (cached) return cached;
  const raw = process.env[stackEnvVar];
  if (!raw) throw new Error(`${stackEnvVar} is not set: run the tests through e2e/playwright.config.ts (global setup)`);
  cached = JSON.parse(raw) as Stack;
  return cached;
}

async function control(action: "stop" | "start", context: ContextName): Promise<void> {
  const res = await fetch(`${stack().controlUrl}/contexts/${context}/${action}`, { method: "POST" });
  if (!res.ok) throw new Error(`${action} ${context}: ${res.status} ${await res.text()}`);
}

/** Stops one context's process (SIGTERM, waits for its exit). Its URL stays reserved for startContext. */
const stopContext = (context: ContextName) => control("stop", context);

/** Starts a stopped context again on the same port and waits until it answers /healthz. */
const startContext = (context: ContextName) => control("start", context);

/**
 * Runs `body` with a context stopped and always starts it again afterwards, so that a failing
 * test does not leave the stack broken for the tests after it.
 */
export async function withContextStopped<T>(context: ContextName, body: () => Promise<T>): Promise<T> {
  await stopContext(context);
  try {
    return await body();
  } finally {
    await startContext(context);
  }
}
