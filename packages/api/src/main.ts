/**
 * Process entry point: `tsx src/main.ts <context> [<context> ...]` runs those contexts in one
 * process (production: one context per process), `all` runs every context (development).
 */
import { allInOnePort, contextNames, defaultPorts, loadConfig, type ContextName } from "./platform/config.js";
import { contexts } from "./contexts.js";
import { logger } from "./platform/logger.js";
import { startProcess } from "./platform/process.js";

const args = process.argv.slice(2);
const names: ContextName[] = args.length === 0 || args.includes("all") ? [...contextNames] : (args as ContextName[]);
const unknown = names.filter((n) => !contextNames.includes(n));
if (unknown.length) {
  console.error(`unknown context(s): ${unknown.join(", ")}; choose from ${contextNames.join(", ")} or all`);
  process.exit(2);
}
// A bad environment (e.g. no AUTH_SECRET in production) ends the process with its message, not a stack.
const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    console.error(`baedal: cannot start: ${err instanceof Error ? err.message : String(err)}`);
    return process.exit(1);
  }
})();
const port = config.PORT ?? (names.length === 1 ? defaultPorts[names[0]!] : allInOnePort);

const modules = await Promise.all(names.map((n) => contexts[n]()));
const running = await startProcess(modules, { port, config }).catch((err) => {
  logger.fatal({ err: String(err), stack: (err as Error).stack }, "failed to start");
  process.exit(1);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void running.stop().then(() => process.exit(0));
  });
}
