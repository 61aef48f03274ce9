import type pg from "pg";
import {
  PgTransactions,
  IdempotentConsumer,
  OutboxRelay,
  type SessionRevocations,
  UnitOfWork,
  rpcServersIdle,
  type ConsumerSpec,
  type Messaging,
  type SqlExecutor,
  type TransactionRunner,
} from "@baedal/events";
import type { Config, ContextName } from "./config.js";
import type { TransactionPool } from "./db.js";
import { DomainError } from "./errors.js";
import { eventLog, type Logger } from "./logger.js";

/** What a context gets from the process it runs in. */
export interface ContextRuntime<TDb extends TransactionRunner<TTx>, TTx extends SqlExecutor> {
  name: ContextName;
  schema: string;
  config: Config;
  log: Logger;
  messaging: Messaging;
  pool: pg.Pool;
  db: TDb;
  relay: OutboxRelay;
  uow: UnitOfWork<TTx>;
  /** Sign-outs every process honours (identity records them). */
  sessions: SessionRevocations;
  /** Registers a durable consumer; the process starts it after setup and stops it on shutdown. */
  consume(spec: ConsumerSpec<TTx>): IdempotentConsumer<TTx>;
  /** Runs `task` every `intervalMs` (never overlapping) until shutdown. */
  every(name: string, intervalMs: number, task: () => Promise<void>): void;
  /** Called on shutdown, after consumers stopped and before the pool closes. */
  onStop(fn: () => Promise<void> | void): void;
}

/**
 * A context's services for its tRPC router. The router is static (its type is the API), the
 * services exist only once the context runs in this process.
 */
export class Slot<T> {
  private value: T | undefined;
  constructor(private readonly context: ContextName) {}
  set(value: T | undefined): void {
    this.value = value;
  }
  get(): T {
    if (this.value === undefined) {
      throw new DomainError("SERVICE_UNAVAILABLE", `${this.context} does not run in this process`);
    }
    return this.value;
  }
}

export class ManagedRuntime<
  TDb extends TransactionRunner<TTx>,
  TTx extends SqlExecutor,
> implements ContextRuntime<TDb, TTx> {
  readonly consumers: IdempotentConsumer<TTx>[] = [];
  private readonly timers: {
    name: string;
    intervalMs: number;
    task: () => Promise<void>;
    timer?: NodeJS.Timeout;
    /** The run in progress, so a stop can wait for it. */
    running?: Promise<void>;
  }[] = [];
  private readonly stoppers: (() => Promise<void> | void)[] = [];
  private stopping = false;
  readonly relay: OutboxRelay;
  readonly uow: UnitOfWork<TTx>;

  constructor(
    readonly name: ContextName,
    readonly schema: string,
    readonly config: Config,
    readonly log: Logger,
    readonly messaging: Messaging,
    readonly pool: TransactionPool,
    readonly db: TDb,
    readonly sessions: SessionRevocations,
  ) {
    this.relay = new OutboxRelay({
      pool,
      schema,
      context: name,
      messaging,
      onError: (err) => log.warn({ err: String(err) }, "outbox relay failed; retrying"),
      log: eventLog(log),
    });
    this.uow = new UnitOfWork<TTx>(transactionsOn(pool, db), schema, messaging.ns, this.relay);
  }

  /** The context's consumers apply their batches one at a time (see ConsumerRuntime.lane). */
  private readonly consumerLane = serially();

  consume(spec: ConsumerSpec<TTx>): IdempotentConsumer<TTx> {
    const c = new IdempotentConsumer<TTx>(spec, {
      messaging: this.messaging,
      schema: this.schema,
      context: this.name,
      uow: this.uow,
      lane: this.consumerLane,
      log: eventLog(this.log),
    });
    this.consumers.push(c);
    return c;
  }

  every(name: string, intervalMs: number, task: () => Promise<void>): void {
    this.timers.push({ name, intervalMs, task });
  }

  onStop(fn: () => Promise<void> | void): void {
    this.stoppers.push(fn);
  }

  async start(): Promise<void> {
    this.relay.start();
    for (const c of this.consumers) await c.start();
    for (const t of this.timers) {
      const tick = async () => {
        t.running = (async () => t.task())().catch((err) =>
          this.log.warn({ err: String(err), task: t.name }, "background task failed"),
        );
        await t.running;
        t.running = undefined;
        if (!this.stopping) t.timer = setTimeout(tick, t.intervalMs);
      };
      t.timer = setTimeout(tick, t.intervalMs);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t.timer);
    await Promise.all(this.consumers.map((c) => c.stop()));
    await Promise.all(this.timers.map((t) => t.running));
    for (const fn of this.stoppers) await fn();
    // RPC requests this process took are answered (their effects land in the outbox below).
    await rpcServersIdle();
    await this.relay.stop();
    // Whatever was committed but not yet published goes out before we leave.
    await this.relay.drain().catch(() => undefined);
  }
}

/** A lane: each piece of work starts when the one before it settled. */
function serially(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * A unit of work's transactions: BEGIN/COMMIT on a connection of `pool`, the work given the
 * context's Prisma client `db`, whose queries the pool sends through that connection (see
 * PgTransactions). Prisma's own interactive transactions cost about 0.5 ms of CPU more each.
 */
export function transactionsOn<TTx extends SqlExecutor>(pool: TransactionPool, db: unknown): PgTransactions<TTx> {
  return new PgTransactions<TTx>(pool, db as TTx);
}
