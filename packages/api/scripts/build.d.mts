// Types of build.mjs for its TypeScript callers (the test setup, e2e, bench, chaos).
export const apiDir: string;
export const distDir: string;
export type ApiProcess = "main" | "migrate-cli" | "seed";
export function entryPoint(name: ApiProcess, options?: { fromSource?: boolean }): string;
export function buildApi(): Promise<void>;
export function staleBecause(): string | null;
export function ensureApiBuilt(log?: (message: string) => void): Promise<boolean>;
