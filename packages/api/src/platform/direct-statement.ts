import { directSql, type SqlExecutor } from "@baedal/events";

/** A statement built with `Prisma.sql` (its text uses Postgres' own `$n` placeholders). */
interface BuiltSql {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * Sends a `Prisma.sql` statement of the plumbing or of a raw-SQL projection through the
 * transaction's own pg connection (`directSql`): the same statement as `tx.$queryRaw`, without
 * Prisma's raw-query pipeline (about twice the CPU per statement). Rows come back as pg gives
 * them (int8/numeric as strings, timestamps as Date, json parsed).
 */
export function queryDirect<R>(tx: SqlExecutor, q: BuiltSql): Promise<R[]> {
  return directSql(tx).$queryRawUnsafe<R[]>(q.text, ...q.values);
}

/** As `queryDirect`, for a statement whose rows nobody reads: answers the rows affected. */
export function executeDirect(tx: SqlExecutor, q: BuiltSql): Promise<number> {
  return directSql(tx).$executeRawUnsafe(q.text, ...q.values);
}
