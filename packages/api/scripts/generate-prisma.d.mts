// Types of generate-prisma.mjs for its TypeScript callers (chaos).
export function ensurePrismaClients(log?: (message: string) => void): boolean;
