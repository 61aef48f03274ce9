// Types of build.mjs for its TypeScript callers (the test setup, chaos, e2e).
export const apiDir: string;
export const distDir: string;
export function buildApi(): Promise<void>;
export function staleBecause(): string | null;
export function ensureApiBuilt(log?: (message: string) => void): Promise<boolean>;
