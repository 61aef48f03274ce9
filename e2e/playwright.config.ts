/**
 * E2E suites in Debian's Chromium against a whole Baedal started by global-setup.ts (its own
 * database, NATS namespace, one process per context, both Next apps). Projects: `web` (customer
 * app, e2e/web) and `console` (shop/rider/admin console, e2e/console) when that folder exists.
 * Run: `BAEDAL_TEST_ONLY=e2e npm test`, or `npx playwright test -c e2e/playwright.config.ts --project web`.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

// Each run gets its own output folder: several people may run the suites in this tree at once, and
// Playwright empties its output folder when a run starts. Set here in the runner, inherited by workers.
process.env.BAEDAL_E2E_RUN ??= `${Date.now().toString(36)}-${process.pid}`;

const projects = [
  { name: "web", testDir: here("./web") },
  ...(existsSync(here("./console")) ? [{ name: "console", testDir: here("./console") }] : []),
];

export default defineConfig({
  globalSetup: here("./global-setup.ts"),
  testMatch: "**/*.spec.ts",
  // The machine is shared and small; one browser at a time, and tests that stop a context
  // (payment) must not overlap with others.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // Builds of both Next apps may be part of global setup.
  globalTimeout: 45 * 60_000,
  outputDir: here(`./test-results/${process.env.BAEDAL_E2E_RUN}`),
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: here("./playwright-report") }]],
  use: {
    ...devices["Desktop Chrome"],
    viewport: { width: 1280, height: 860 },
    locale: "ko-KR",
    timezoneId: "Asia/Seoul",
    launchOptions: chromiumLaunch,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects,
});
