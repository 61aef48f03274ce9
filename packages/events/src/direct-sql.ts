import { AsyncLocalStorage } from "node:async_hooks";
import type { PoolClient, QueryResult } from "pg";
import { preparedName } from "./prepared.js";
import type { SqlExecutor, TransactionRunner } from "./sql.js";

/**
 * Transactions run on a pg connection of their own, with Prisma riding along.
 *
 * A unit of work's transaction is BEGIN … COMMIT sent by the pg client on one pooled connection
 * ({@link PgTransactions}); while it runs, the context's pool sends every query made from inside
 * it — Prisma's model queries from the context's one client included — through that connection
 * ({@link currentConnection}). Prisma stays the client of the domain model; what it no longer
 * does is open interactive transactions: about 0.5 ms of CPU each in the calling process (its
 * transaction manager, timers and the adapter's round trips) against 0.14 ms for BEGIN and
 * COMMIT through pg, and a lifecycle runs ~50 of them.
 *
 * The plumbing's own statements (outbox rows, processed-event marks, live-feed entries, bulk
 * inserts, advisory locks) skip Prisma's raw-query pipeline as well: {@link directSql}.
 */
interface Transaction {
  /** The connection, once the runner took one (a unit of work on another runner has none). */
  client?: PoolClient;
  /** Set when the transaction ended: a statement after that must fail, not autocommit. */
  closed: boolean;
  /** Effects to run once it committed (UnitOfWork.afterCommit). */
  effects: (() => void)[];
  /** Its executor for directSql, made on first use. */
  direct?: SqlExecutor;
}

const current = new AsyncLocalStorage<Transaction>();

/** Runs `work` as one unit of work's transaction scope (UnitOfWork; its runner joins it). */
export function transactionScope<R>(work: (t: Transaction) => Promise<R>): Promise<R> {
  const t: Transaction = { closed: false, effects: [] };
  // Closed however its runner ends: afterCommit and directSql refuse what comes later.
  return current.run(t, () => work(t)).finally(() => (t.closed = true));
}

/** The scope of the unit of work this code runs in (none outside one). */
export function currentScope(): Transaction | undefined {
  return current.getStore();
}

/** Whether this code runs inside a transaction of {@link PgTransactions}. */
export function inTransaction(): boolean {
  return current.getStore()?.client !== undefined;
}

/** Runs `fn` outside any transaction scope (work it starts must not join the caller's transaction). */
export function outsideTransaction<R>(fn: () => R): R {
  return current.exit(fn);
}

/**
 * The connection of the transaction this code runs in, for the context's pool to send a query
 * through (undefined outside one, or when its runner is not {@link PgTransactions}).
 */
export function currentConnection(): PoolClient | undefined {
  const t = current.getStore();
  return t?.client ? openConnection(t as Transaction & { client: PoolClient }) : undefined;
}

/** The transaction's connection while it is open; a statement after its end fails, as Prisma's do. */
function openConnection(t: Transaction & { client: PoolClient }): PoolClient {
  if (t.closed) throw new Error("Transaction already closed: a statement came after its commit or rollback");
  return t.client;
}

/**
 * What the pool hands Prisma when it opens a transaction of its own from inside ours (a model
 * operation that takes several statements): our connection, with that transaction's BEGIN,
 * COMMIT and ROLLBACK answered without being sent — its statements are part of ours, exactly as
 * inside a Prisma interactive transaction — and its release a no-op.
 */
export function joinedConnection(): PoolClient | undefined {
  const client = currentConnection();
  if (!client) return undefined;
  return new Proxy(client, {
    get(target, key) {
      if (key === "release" || key === "on" || key === "removeListener") return () => undefined;
      if (key === "query") {
        return (first: unknown, ...rest: unknown[]) => {
          const text = typeof first === "string" ? first : ((first as { text?: string } | null)?.text ?? "");
          if (answered(text)) return Promise.resolve(done);
          return (target.query as (...a: unknown[]) => unknown)(first, ...rest);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const answered = (text: string) => /^\s*(BEGIN|COMMIT|ROLLBACK)\s*$/i.test(text);
const done = { command: "", rowCount: 0, oid: 0, fields: [], rows: [] } as unknown as QueryResult;

/** The pool a {@link PgTransactions} runner takes its connections from. */
export interface TransactionConnections {
  /** A connection of its own: never the current transaction's. */
  take(): Promise<PoolClient>;
}

/**
 * A transaction runner for UnitOfWork: BEGIN/COMMIT on a connection of its own, the work given
 * `client` (the context's Prisma client) whose queries the pool sends through that connection.
 */
export class PgTransactions<TTx extends SqlExecutor> implements TransactionRunner<TTx> {
  constructor(
    private readonly pool: TransactionConnections,
    private readonly client: TTx,
  ) {}

  async $transaction<R>(fn: (tx: TTx) => Promise<R>): Promise<R> {
    const t = current.getStore();
    if (!t || t.client) throw new Error("PgTransactions runs inside a unit of work's transactionScope, once");
    const client = await this.pool.take();
    t.client = client;
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await fn(this.client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch((e: Error) => (broken = e)); // a failed COMMIT has ended it already
      throw err;
    } finally {
      t.closed = true;
      // A connection that could not roll back is not handed to anyone else.
      client.release(broken);
    }
  }
}

/**
 * The executor for the plumbing's statements in transaction `tx`: its own pg connection when it
 * runs on {@link PgTransactions}, otherwise `tx` itself (a Prisma client or transaction).
 * Values come back as pg gives them, not as Prisma's raw queries do: int8 and numeric as
 * strings (Prisma: bigint, Decimal), everything else alike (timestamps as Date, json parsed).
 */
export function directSql(tx: SqlExecutor): SqlExecutor {
  const t = current.getStore();
  if (!t?.client) return tx;
  return (t.direct ??= statementsOf(t as Transaction & { client: PoolClient }));
}

function statementsOf(t: Transaction & { client: PoolClient }): SqlExecutor {
  const send = (query: string, values: unknown[]) =>
    openConnection(t).query({ name: preparedName(query, values.length), text: query, values });
  return {
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await send(query, values)).rowCount ?? 0;
    },
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      return (await send(query, values)).rows as T;
    },
  };
}
