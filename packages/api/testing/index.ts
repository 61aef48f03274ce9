/**
 * `@baedal/api/testing`: what the drivers outside the API — its own tests, e2e/, bench/ and
 * chaos/ — need from it, and nothing the contexts' processes run. Production source
 * (`src/`) never imports this folder (the boundary lint, .dependency-cruiser.cjs, fails if it does).
 */
export { issueToken } from "./issue-token.js";
export { forbiddenFile, scanText, type SecretFinding } from "./secret-scan.js";

// The platform's own names and set-up steps that a driver repeats: which contexts exist and
// their schemas, the migrations, a pool and a context's Prisma client on it.
export type { Actor, Role } from "../src/platform/auth.js";
export { contextNames, type ContextName } from "../src/platform/config.js";
export { contextSchemas } from "../src/platform/schemas.js";
export { migrate } from "../src/platform/migrate.js";
export { createPool, createPrisma } from "../src/platform/db.js";
export { handlerModules } from "./handler-modules.js";

// The demo data set (`npm run seed` writes the same rows) and the fixed ids drivers act with.
export { demoAccounts, demoId, demoShops, seedDemo } from "../src/seed/demo-data.js";

/**
 * Order's generated client, for the bench's Prisma baseline only: it measures Prisma itself
 * (bench/baseline/prisma.ts) on the order schema's checkout_attempts table, not the context.
 */
export { PrismaClient as OrderPrismaClient } from "../src/order/generated/client.js";
