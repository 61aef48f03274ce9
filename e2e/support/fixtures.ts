/**
 * `test` for the customer app: Playwright's test with `baseURL` pointing at this run's web app,
 * so specs navigate with relative paths (`page.goto("/")`). The console's specs open a browser
 * context per role (console-ui.ts, with the console's baseURL), so they use Playwright's own `test`.
 *   import { webTest as test, expect } from "../support/fixtures.js";      // e2e/web
 */
import { test as base } from "@playwright/test";
import { stack } from "./stack.js";

export { expect } from "@playwright/test";

const appUrl = (url: string, app: string) => {
  if (!url) throw new Error(`${app} was not started in this run (BAEDAL_E2E_APPS=${process.env.BAEDAL_E2E_APPS})`);
  return url;
};

// Playwright reads a fixture's dependencies from its first parameter's pattern: `{}` is "none".
/* eslint-disable no-empty-pattern */
export const webTest = base.extend({
  baseURL: async ({}, use) => use(appUrl(stack().webUrl, "web")),
});
/* eslint-enable no-empty-pattern */
