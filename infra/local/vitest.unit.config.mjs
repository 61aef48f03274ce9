// The unit suites as one vitest run, for `npm test`'s Node 24 runner (node24.mjs): packages/api's
// test/unit and packages/events' tests, each with its own package's settings.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        extends: "./packages/api/vitest.config.ts",
        // `exclude` adds to the package's settings (an `include` would be merged with its own).
        test: {
          name: "api-unit",
          root: "./packages/api",
          exclude: ["test/integration/**", "**/node_modules/**"],
        },
      },
      { extends: "./packages/events/vitest.config.ts", test: { name: "events", root: "./packages/events" } },
    ],
  },
});
