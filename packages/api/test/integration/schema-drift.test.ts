import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import internals from "@prisma/internals";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextSchemas, sharedTables, type SharedTableSet } from "../../src/platform/schemas.js";
import { TestEnv } from "./harness.js";

/**
 * `prisma migrate` cannot run here, so migrations are hand-written SQL. This test is the guard:
 * after applying every migration to an empty database, each Prisma model must match its table —
 * same columns, types and nullability — and no table may hold a NOT NULL column without a
 * default that Prisma does not know (inserts would fail).
 */
const srcDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

/** The tables a shared set (platform/migrations/<set>/) creates: the platform's code owns them, not Prisma. */
const tablesOfSet = (set: SharedTableSet) =>
  readdirSync(join(srcDir, "platform", "migrations", set)).flatMap((f) =>
    [...readFileSync(join(srcDir, "platform", "migrations", set, f), "utf8").matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map(
      (m) => m[1],
    ),
  );

const pgTypeFor = (type: string, native: [string, string[]] | null | undefined): string[] => {
  if (native) {
    const [name] = native;
    const map: Record<string, string[]> = {
      Uuid: ["uuid"],
      Timestamptz: ["timestamp with time zone"],
      Timestamp: ["timestamp without time zone"],
      Date: ["date"],
      Text: ["text"],
      VarChar: ["character varying"],
      BigInt: ["bigint"],
      Integer: ["integer"],
      SmallInt: ["smallint"],
      JsonB: ["jsonb"],
    };
    return map[name] ?? [name.toLowerCase()];
  }
  const scalar: Record<string, string[]> = {
    String: ["text"],
    Int: ["integer"],
    BigInt: ["bigint"],
    Boolean: ["boolean"],
    DateTime: ["timestamp without time zone", "timestamp(3) without time zone"],
    Json: ["jsonb"],
    Float: ["double precision"],
  };
  return scalar[type] ?? [type.toLowerCase()];
};

describe("Prisma models match the migrated database", () => {
  const env = new TestEnv();
  beforeAll(() => env.setup(), 60_000);
  afterAll(() => env.teardown());

  const contexts = Object.entries(contextSchemas).filter(([c]) => existsSync(join(srcDir, c, "prisma", "schema.prisma")));

  it("every context has a Prisma schema and migrations", () => {
    expect(contexts.map(([c]) => c).sort()).toEqual(Object.keys(contextSchemas).sort());
    for (const [c] of contexts) expect(readdirSync(join(srcDir, c, "migrations")).length).toBeGreaterThan(0);
  });

  for (const [context, schema] of contexts) {
    it(`${context}: models and tables agree`, async () => {
      const datamodel = readFileSync(join(srcDir, context, "prisma", "schema.prisma"), "utf8");
      const dmmf = await internals.getDMMF({ datamodel });
      const problems: string[] = [];
      const modelTables = new Set<string>();
      for (const model of dmmf.datamodel.models) {
        const table = model.dbName ?? model.name;
        modelTables.add(table);
        const cols = await env.query<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
          `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2`,
          [schema, table],
        );
        if (cols.length === 0) {
          problems.push(`${model.name}: table ${schema}.${table} does not exist`);
          continue;
        }
        const byName = new Map(cols.map((c) => [c.column_name, c]));
        const known = new Set<string>();
        for (const f of model.fields) {
          if (f.kind === "object") continue;
          const column = f.dbName ?? f.name;
          known.add(column);
          const col = byName.get(column);
          if (!col) {
            problems.push(`${model.name}.${f.name}: column ${table}.${column} missing`);
            continue;
          }
          const expected = f.isList ? ["ARRAY"] : pgTypeFor(f.type, f.nativeType as [string, string[]] | null);
          if (!expected.includes(col.data_type)) {
            problems.push(`${model.name}.${f.name}: ${col.data_type} in the database, Prisma expects ${expected.join(" or ")}`);
          }
          if ((col.is_nullable === "YES") !== !f.isRequired) {
            problems.push(`${model.name}.${f.name}: nullable ${col.is_nullable} in the database, Prisma required=${f.isRequired}`);
          }
        }
        for (const c of cols) {
          if (!known.has(c.column_name) && c.is_nullable === "NO" && c.column_default === null) {
            problems.push(`${table}.${c.column_name}: NOT NULL without default and unknown to Prisma`);
          }
        }
      }
      // Tables the migrations create that no model covers (besides the messaging plumbing and the
      // shared sets the platform's code works on: live feeds, rate-limiter-flexible's counters).
      const tables = await env.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
        [schema],
      );
      const shared = sharedTables[context as keyof typeof sharedTables].flatMap(tablesOfSet);
      const plumbing = new Set(["outbox", "processed_event", "dead_letter", "_migrations", ...shared]);
      for (const t of shared) {
        if (!tables.some((r) => r.table_name === t)) problems.push(`${schema}.${t} (shared set) does not exist`);
      }
      for (const t of tables) {
        if (!modelTables.has(t.table_name) && !plumbing.has(t.table_name)) {
          problems.push(`${schema}.${t.table_name} has no Prisma model`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
