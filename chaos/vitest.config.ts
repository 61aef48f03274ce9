import { defineConfig } from "vitest/config";

/** The short chaos run of `npm test` (infra/local/test.mjs runs it as the "chaos" runner). */
export default defineConfig({
  test: {
    include: ["*.test.ts"],
    // The run itself is in beforeAll; under three minutes on an ordinary machine, with room for a loaded one.
    hookTimeout: 420_000,
    testTimeout: 30_000,
    fileParallelism: false,
    pool: "forks",
  },
});
