import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  currentConnection,
  inTransaction,
  joinedConnection,
  preparedName,
  type TransactionConnections,
} from "@baedal/events";

/**
 * A context's pg pool, aware of the unit of work's transactions (`PgTransactions` in
 * @baedal/events): a query made from inside one — Prisma's, the rate limiter's, anyone's — goes
 * through that transaction's connection, and a transaction Prisma opens from inside one joins it.
 * `take()` is a connection of its own, for the transaction runner and the outbox relay.
 */
export class TransactionPool extends pg.Pool implements TransactionConnections {
  take(): Promise<pg.PoolClient> {
    return super.connect();
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(callback?: Parameters<pg.Pool["connect"]>[0]): Promise<pg.PoolClient> | void {
    if (callback) return super.connect(callback);
    const joined = joinedConnection();
    return joined ? Promise.resolve(joined) : super.connect();
  }

  // pg's overloads in one: every form goes to the transaction's connection or to the pool.
  override query(...args: unknown[]): never {
    const tx = currentConnection();
    const query = (tx ? tx.query : super.query) as (...a: unknown[]) => never;
    return query.apply(tx ?? this, args);
  }
}

/** One pg pool per context process, shared by its Prisma client and its outbox relay. */
export function createPool(databaseUrl: string, max = 10): TransactionPool {
  const pool = new TransactionPool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: 30_000,
    // A transaction left waiting (its work stuck) does not hold its locks and connection for
    // ever: Postgres ends the session after 15 s idle in it, as Prisma's transaction timeout did.
    idle_in_transaction_session_timeout: 15_000,
  });
  // A dropped connection (Postgres restart) must not crash the process; the pool reconnects.
  pool.on("error", () => undefined);
  // Nor one dropped just as it is handed out: pg parses the server's "terminating connection"
  // in the same read as the end of the handshake, so the 'error' fires before whoever awaits
  // pool.connect() (a Prisma transaction, the outbox relay) could attach a listener, and an
  // unheard 'error' kills the process. The failure still reaches the caller through its next
  // query, and the pool discards the broken client on release.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/**
 * A Prisma client of one context, bound to that context's Postgres schema. `errorFormat:
 * "minimal"` everywhere (Prisma's own default only under NODE_ENV=production): any other format
 * captures a call-site stack (`new Error()`) on every query, 2–4.6 % of each process's CPU in the
 * lifecycle profile, for a code frame in error messages we map to DomainError anyway.
 */
export function createPrisma<T>(
  Client: new (opts: { adapter: PrismaPg; errorFormat: "minimal" }) => T,
  pool: TransactionPool,
  schema: string,
): T {
  // Prisma's statements are prepared once per connection as well (see preparedName).
  const adapter = new PrismaPg(pool, { schema, statementNameGenerator: (q) => preparedName(q.sql, q.args.length) });
  return batchingOutsideTransactions(new Client({ adapter, errorFormat: "minimal" }));
}

interface PrismaInternals {
  _requestHandler?: { dataloader?: { options?: { batchBy?: (request: unknown) => string | undefined } } };
}

/**
 * Prisma batches the `findUnique`s a client receives in one tick into one query, sent from
 * whichever caller's tick ran it. Our transactions are told apart by the async context a query is
 * made from (TransactionPool), so such a batch could read one transaction's rows through another's
 * connection. Inside a transaction a query is therefore never batched: it leaves from its own
 * context. (Prisma's interactive transactions were batched per transaction, so nothing is lost.)
 * Checked at start-up: a Prisma upgrade that moves this fails every process and test at once.
 */
function batchingOutsideTransactions<T>(client: T): T {
  const options = (client as PrismaInternals)._requestHandler?.dataloader?.options;
  const batchBy = options?.batchBy;
  if (!options || typeof batchBy !== "function") {
    throw new Error("Prisma's request batching is not where createPrisma expects it (was Prisma upgraded?)");
  }
  options.batchBy = (request) => (inTransaction() ? undefined : batchBy(request));
  return client;
}
