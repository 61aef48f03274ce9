// Types of control.mjs for its TypeScript callers (packages/api/test).
export const actions: string[];
export function defaultSocketPath(): string;
export function parseRequest(
  body: string,
): { error: string } | { action: string; target?: string; error?: undefined };
export function serveControl(
  socketPath: string,
  handle: (req: { action: string; target?: string }) => Promise<object>,
): Promise<{ socketPath: string; close(): Promise<void> }>;
export function sendControl(
  socketPath: string,
  request: object,
  opts?: { timeoutMs?: number },
): Promise<{ ok: boolean; message?: string; status?: unknown }>;
