/**
 * vitest globalSetup: the integration suites start context processes from the built JavaScript
 * (dist/main.js, as production does); build it first when a source is newer.
 */
import { ensureApiBuilt } from "../scripts/build.mjs";

export default async function setup(): Promise<void> {
  await ensureApiBuilt((m) => console.log(`[build] ${m}`));
}
