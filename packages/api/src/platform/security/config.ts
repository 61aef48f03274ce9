import { BlockList, isIP } from "node:net";
import { z } from "zod";

/**
 * The security settings a process reads from its environment (see README "Environment"). Kept
 * apart from platform/config.ts so the HTTP layer can read them without every caller passing
 * them through; checked once when the HTTP server is created.
 */
export interface SecurityConfig {
  /** Origins whose browsers may send mutations with the session cookie; null = any loopback origin (development). */
  allowedOrigins: Set<string> | null;
  /** Peers whose X-Forwarded-For we believe (the Next apps' proxy, a load balancer). */
  trustedProxies: BlockList;
  /** Largest request body the API reads; more is answered 413. */
  maxBodyBytes: number;
  /** Most calls one batched tRPC request may carry. */
  maxBatchSize: number;
  /** Served over HTTPS (Secure cookies, HSTS). */
  secure: boolean;
}

const intFrom = (name: string, min: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`);

const schema = z.object({
  NODE_ENV: z.string().optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  TRUSTED_PROXIES: z.string().default("loopback"),
  MAX_BODY_BYTES: intFrom("MAX_BODY_BYTES", 1_024).default(100_000),
  MAX_BATCH_SIZE: intFrom("MAX_BATCH_SIZE", 1).default(50),
  COOKIE_SECURE: z.string().optional(),
});

const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** An origin as browsers send it: scheme://host[:port], no path, no trailing slash. */
function parseOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ALLOWED_ORIGINS: "${raw}" is not an origin like https://baedal.example`);
  }
  if (url.origin === "null" || url.pathname !== "/" || url.search || url.hash) {
    throw new Error(`ALLOWED_ORIGINS: "${raw}" is not an origin like https://baedal.example`);
  }
  return url.origin;
}

/**
 * `loopback`, single addresses and CIDR ranges (10.0.0.0/8, fd00::/8); `setting` names the
 * variable in error messages (the API's TRUSTED_PROXIES, the Next apps' APP_TRUSTED_PROXIES).
 */
export function parseProxies(raw: string, setting = "TRUSTED_PROXIES"): BlockList {
  const block = new BlockList();
  for (const entry of list(raw)) {
    if (entry === "loopback") {
      block.addSubnet("127.0.0.0", 8, "ipv4");
      block.addAddress("::1", "ipv6");
      block.addSubnet("::ffff:127.0.0.0", 104, "ipv6");
      continue;
    }
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (!family) throw new Error(`${setting}: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) block.addAddress(address!, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
        throw new Error(`${setting}: "${entry}" has a bad prefix length`);
      }
      block.addSubnet(address!, prefix, type);
    }
  }
  return block;
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const e = parsed.data;
  const origins = list(e.ALLOWED_ORIGINS);
  if (origins.length === 0 && e.NODE_ENV === "production") {
    throw new Error(
      "ALLOWED_ORIGINS must be set when NODE_ENV=production: the comma-separated origins of the Baedal web apps (e.g. https://baedal.example,https://console.baedal.example)",
    );
  }
  return {
    allowedOrigins: origins.length ? new Set(origins.map(parseOrigin)) : null,
    trustedProxies: parseProxies(e.TRUSTED_PROXIES),
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxBatchSize: e.MAX_BATCH_SIZE,
    secure: e.COOKIE_SECURE === "1",
  };
}
