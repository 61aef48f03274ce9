/**
 * Screenshots of a page at phone and desktop sizes into <repo>/screenshots/ (git-ignored), so each
 * E2E run leaves pictures of every main screen to look at.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";

export const screenshotDir = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../screenshots");

export const viewports = {
  phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 860 },
} as const;

/** Saves `screenshots/<name>-<size>.png` (full page) for each size, and restores the viewport. */
export async function screenshotAtSizes(
  page: Page,
  name: string,
  sizes: (keyof typeof viewports)[] = ["phone", "desktop"],
): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const before = page.viewportSize();
  for (const size of sizes) {
    await page.setViewportSize(viewports[size]);
    // Let layout and fonts settle after the resize (no "networkidle": live pages keep an SSE stream open).
    // Top of the page, so sticky and fixed bars sit where a visitor first sees them.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshotDir, `${name}-${size}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
