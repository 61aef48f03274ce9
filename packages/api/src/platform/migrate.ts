import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { quoteIdent } from "@baedal/events";
import type { ContextName } from "./config.js";
import { apiRoot, repoRoot } from "./paths.js";
import { contextSchemas, sharedTables } from "./schemas.js";

const srcDir = join(apiRoot, "src");
const sharedDir = join(srcDir, "platform", "migrations");
const messagingDir = join(repoRoot, "packages/events/sql");
const messagingSql = readFileSync(join(messagingDir, "messaging.sql"), "utf8");

interface Migration {
  name: string;
  sql: string;
}

/** The `NNNN_name.sql` files of a folder, in order. */
const sqlFilesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ""), sql: readFileSync(join(dir, f), "utf8") }));

/**
 * The versioned migrations of one context: its messaging tables (`0000_messaging`, the original
 * file, then the later changes in events/sql/messaging/ as `messaging/NNNN_…`), then the shared
 * table sets it keeps (`platform/<set>/NNNN_…`, see schemas.ts), then its own SQL files in order.
 */
function migrationsFor(context: ContextName, schema: string): Migration[] {
  const inSchema = (sql: string) => sql.replaceAll(":schema", quoteIdent(schema));
  const messaging = sqlFilesIn(join(messagingDir, "messaging")).map((m) => ({
    name: `messaging/${m.name}`,
    sql: inSchema(m.sql),
  }));
  return [
    { name: "0000_messaging", sql: inSchema(messagingSql) },
    ...messaging,
    ...sharedTables[context].flatMap((set) =>
      sqlFilesIn(join(sharedDir, set)).map((m) => ({ ...m, name: `platform/${set}/${m.name}` })),
    ),
    ...sqlFilesIn(join(srcDir, context, "migrations")),
  ];
}

const checksum = (sql: string) => createHash("sha256").update(sql).digest("hex");

/**
 * Checksums of earlier versions of a migration that it stands for, from its `-- replaces checksum
 * <sha256>` lines. Used once, when part of a context's migration moved into a shared table set
 * (whose IF NOT EXISTS statements are no-ops where the old version ran): a database that applied
 * the old version takes the new one as applied, and nothing runs twice.
 */
const replacedChecksums = (sql: string) =>
  new Set([...sql.matchAll(/^-- replaces checksum ([0-9a-f]{64})$/gm)].map((m) => m[1]));

/**
 * Applies every context's pending migrations, each in its own transaction, under an advisory
 * lock so that processes starting together do not race. An applied migration whose file
 * changed afterwards is an error: write a new migration instead.
 */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => undefined) {
  await ensureDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727274)");
    for (const [context, schema] of Object.entries(contextSchemas) as [ContextName, string][]) {
      const s = quoteIdent(schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}._migrations (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT name, checksum FROM ${s}._migrations`,
      );
      const applied = new Map(rows.map((r) => [r.name, r.checksum]));
      for (const m of migrationsFor(context, schema)) {
        const sum = checksum(m.sql);
        const seen = applied.get(m.name);
        if (seen === sum) continue;
        if (seen && replacedChecksums(m.sql).has(seen)) {
          await client.query(`UPDATE ${s}._migrations SET checksum = $2 WHERE name = $1`, [m.name, sum]);
          log(`migration ${context}/${m.name} stands for its earlier version`);
          continue;
        }
        if (seen) throw new Error(`migration ${context}/${m.name} changed after it was applied`);
        await client.query("BEGIN");
        try {
          await client.query(`SET LOCAL search_path TO ${s}`);
          await client.query(m.sql);
          await client.query(`INSERT INTO ${s}._migrations (name, checksum) VALUES ($1, $2)`, [m.name, sum]);
          await client.query("COMMIT");
          log(`migrated ${context}/${m.name}`);
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${context}/${m.name} failed: ${(err as Error).message}`);
        }
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}

/** Creates the database named in the URL when it does not exist yet. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((e: { code?: string }) => {
      if (e.code !== "42P04") throw e; // created concurrently
    });
  } finally {
    await admin.end();
  }
}
