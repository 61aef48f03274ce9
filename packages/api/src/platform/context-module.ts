import type { AnyRouter } from "@trpc/server";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { SqlExecutor, TransactionRunner } from "@baedal/events";
import type { ContextName } from "./config.js";
import type { ContextRuntime } from "./runtime.js";

/** A bounded context as a process sees it: its client, its router and how to start it. */
export interface ContextModule<TDb extends TransactionRunner<TTx> = any, TTx extends SqlExecutor = any> {
  name: ContextName;
  Client: new (opts: { adapter: PrismaPg }) => TDb;
  router?: AnyRouter;
  /** Builds the context's services, registers its consumers, RPC servers and background tasks. */
  setup(rt: ContextRuntime<TDb, TTx>): Promise<void>;
  poolSize?: number;
}

export function defineContext<TDb extends TransactionRunner<TTx>, TTx extends SqlExecutor>(
  m: ContextModule<TDb, TTx>,
): ContextModule<TDb, TTx> {
  return m;
}

