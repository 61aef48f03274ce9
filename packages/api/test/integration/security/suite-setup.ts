/** Bringing up the processes of a security suite on a small, busy machine. */
import type { ContextName } from "../../../src/platform/config.js";
import type { TestEnv } from "../harness.js";

/** For suites that check out but do not test resilience: slowness must not trip the payment breaker. */
const patientPayment = { BAEDAL_RPC_TIMEOUT_MS: "10000" };

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
