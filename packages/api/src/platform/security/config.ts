import type { BlockList } from "node:net";
import { securityEnv } from "../config.js";
import { parseProxies } from "./proxies.js";

/**
 * The security settings a process derives from its environment (the variables are declared with
 * the others in platform/config.ts; see README "Environment"), so the HTTP layer can read them
 * without every caller passing them through; checked once when the HTTP server is created.
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

/** `env`: the environment to read (tests pass their own); this process's when omitted. */
export function loadSecurityConfig(env?: NodeJS.ProcessEnv): SecurityConfig {
  const e = securityEnv(env);
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
