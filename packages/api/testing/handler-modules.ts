import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { contextNames, type ContextName } from "../src/platform/config.js";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/**
 * Each context's handlers module (src/<context>/handlers.ts; a context without consumers has
 * none), for a driver that reads who consumes what from the contexts' own registrations rather
 * than from a copy that could drift (chaos's consumer map calls their `register…` functions).
 */
export async function handlerModules(): Promise<Partial<Record<ContextName, Record<string, unknown>>>> {
  const out: Partial<Record<ContextName, Record<string, unknown>>> = {};
  for (const context of contextNames) {
    const file = join(src, context, "handlers.ts");
    if (existsSync(file))
      out[context] = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
  }
  return out;
}
