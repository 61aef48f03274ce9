/**
 * Read-only checks against this run's database, for what the UI cannot show (e.g. "charged
 * exactly once"). Tests change state only through the apps and the API, never here.
 */
import pg from "pg";
import { stack } from "./stack.js";

let pool: pg.Pool | null = null;

export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: stack().databaseUrl, max: 2 });
  return (await pool.query<T>(sql, params)).rows;
}
