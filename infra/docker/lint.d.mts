// Types of lint.mjs for its TypeScript callers (packages/api/test/unit/k8s).
export const dockerDir: string;
export function dockerfiles(): string[];
export function lintDockerfile(text: string): string[];
export function npmCiProblems(options?: { lock?: string }): string[];
