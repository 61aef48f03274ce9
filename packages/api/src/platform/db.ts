import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

/** One pg pool per context process, shared by its Prisma client and its outbox relay. */
export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 });
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
  pool: pg.Pool,
  schema: string,
): T {
  return new Client({ adapter: new PrismaPg(pool, { schema }), errorFormat: "minimal" });
}
