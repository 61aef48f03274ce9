import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/build-once.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start real processes against one NATS and Postgres: one file at a time.
    fileParallelism: false,
    pool: "forks",
  },
});
