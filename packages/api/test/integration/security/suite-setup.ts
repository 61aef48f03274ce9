/** Bringing up the processes of a security suite on a small, busy machine. */
import { randomUUID } from "node:crypto";
import type { ContextName } from "../../../src/platform/config.js";
import { orderInput } from "../fixtures.js";
import { waitFor, type TestEnv } from "../harness.js";
import { bearer, post } from "./raw.js";

/** For suites that check out but do not test resilience: slowness must not trip the payment breaker. */
export const patientPayment = { BAEDAL_RPC_TIMEOUT_MS: "10000" };

/** Starts contexts a few at a time: many processes compiling at once miss the health timeout. */
export async function startContexts(
  env: TestEnv,
  names: readonly ContextName[],
  extra: Record<string, string> = {},
) {
  for (let i = 0; i < names.length; i += 4) {
    await Promise.all(
      names.slice(i, i + 4).map((c) => env.start(c, { env: { ...patientPayment, ...extra } })),
    );
  }
}

/**
 * Places throwaway orders until one goes through: payment's first requests are the slowest.
 * A new customer each try, so no customer's rate limit budget is spent.
 */
export async function warmUpCheckout(env: TestEnv): Promise<void> {
  const once = async () => {
    const auth = await bearer(env.actor("CUSTOMER"));
    return (
      (await post(env.urlFor("order"), "order.place", orderInput(`warm-${randomUUID()}`), auth)).status ===
      200
    );
  };
  await waitFor("a first order to go through", once, 90_000, 1_000);
}
