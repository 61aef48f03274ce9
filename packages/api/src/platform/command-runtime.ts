import type { SqlExecutor, TransactionRunner } from "@baedal/events";
import { UnitOfWork } from "@baedal/events";
import type { ContextModule } from "./context-module.js";
import { createPool, createPrisma } from "./db.js";
import { logger } from "./logger.js";
import { transactionsOn, type ContextRuntime } from "./runtime.js";
import { contextSchemas } from "./schemas.js";

/** A context's runtime for one-off commands, and how to let it go. */
export interface CommandRuntime<
  TDb extends TransactionRunner<TTx>,
  TTx extends SqlExecutor,
> extends ContextRuntime<TDb, TTx> {
  close(): Promise<void>;
}

/**
 * A context's runtime outside a serving process (the seed is its caller): the context's pool,
 * client and unit of work, so its service's commands run as they do in the process — but no
 * messaging, relay, consumers, background tasks or sessions. Events the commands emit stay in
 * the context's outbox; the context's relay publishes them when the context runs (now or later).
 * A service that reaches for what is absent here fails at once, loudly.
 */
export function commandRuntime<TDb extends TransactionRunner<TTx>, TTx extends SqlExecutor>(
  m: ContextModule<TDb, TTx>,
  opts: { databaseUrl: string; ns: string; poolSize?: number },
): CommandRuntime<TDb, TTx> {
  const schema = contextSchemas[m.name];
  const pool = createPool(opts.databaseUrl, opts.poolSize ?? 2);
  const db = createPrisma(m.Client, pool, schema);
  // Nothing to nudge: the outbox rows wait for the context's own relay.
  const uow = new UnitOfWork<TTx>(transactionsOn(pool, db), schema, opts.ns, { nudge: () => undefined });
  const stoppers: (() => Promise<void> | void)[] = [];
  const absent = (what: string): never => {
    throw new Error(`${m.name}: ${what} is not available to a command run outside its process`);
  };
  return {
    name: m.name,
    schema,
    log: logger.child({ context: m.name }),
    pool,
    db,
    uow,
    get config() {
      return absent("the process configuration");
    },
    get messaging() {
      return absent("messaging");
    },
    get relay() {
      return absent("the outbox relay");
    },
    get sessions() {
      return absent("sessions");
    },
    consume: () => absent("a consumer"),
    every: () => absent("a background task"),
    onStop: (fn) => void stoppers.push(fn),
    async close() {
      for (const fn of stoppers) await fn();
      await (db as { $disconnect?: () => Promise<void> }).$disconnect?.().catch(() => undefined);
      await pool.end();
    },
  };
}
