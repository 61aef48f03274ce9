// Generates each context's Prisma client (prisma-client generator, output beside the schema).
// Prisma 7's CLI wants a schema-engine binary it cannot download here; generation does not use
// it, so any existing file satisfies the check.
//   node packages/api/scripts/generate-prisma.mjs   (npm run generate; infra/local runs it when stale)
// Tools that run the API from a fresh clone (chaos) call `ensurePrismaClients` (@baedal/api/generate).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
const schemas = readdirSync(src)
  .map((d) => join(src, d, "prisma", "schema.prisma"))
  .filter((p) => existsSync(p));

/** Generates every context's client. */
function generatePrismaClients() {
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  const prisma = join(src, "..", "..", "..", "node_modules", ".bin", "prisma");
  const bin = existsSync(prisma) ? prisma : "prisma";
  for (const schema of schemas) {
    execFileSync(bin, ["generate", "--schema", schema, "--no-hints"], { env, stdio: ["ignore", "ignore", "inherit"] });
    console.log(`generated ${schema.split("/src/")[1]}`);
  }
}

/** Generates the clients when one is missing (they are git-ignored); `log` hears it. Returns whether it generated. */
export function ensurePrismaClients(log = () => undefined) {
  if (schemas.every((s) => existsSync(join(dirname(dirname(s)), "generated", "client.ts")))) return false;
  log("generating the Prisma clients");
  generatePrismaClients();
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) generatePrismaClients();
