import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { apiSecurityHeaders } from "./headers.js";
import { clientIp } from "./client-ip.js";
import { trusted } from "./proxies.js";
import type { SecurityConfig } from "./config.js";
import { csrfRefusal, type Refusal } from "./csrf.js";

/**
 * What the HTTP layer does for security before tRPC sees a request: security headers on every
 * response, and the CSRF gate in front of /trpc. Also what each request context needs (the
 * caller's IP, a header setter) so that procedures' middlewares can rate-limit.
 */
export class HttpGuard {
  constructor(
    readonly config: SecurityConfig,
    /** Prometheus' scrape credentials (METRICS_TOKEN): /metrics and the detail of /readyz need it. */
    private readonly metricsToken: string,
  ) {}

  /** Sets the API's security headers; HSTS when served over HTTPS (directly or behind a trusted proxy). */
  applyHeaders(req: IncomingMessage, res: ServerResponse): void {
    for (const h of apiSecurityHeaders({ secure: this.isSecure(req) })) res.setHeader(h.key, h.value);
  }

  /** Answers a refused /trpc request itself; returns true when it did. */
  refuse(req: IncomingMessage, res: ServerResponse): boolean {
    const refusal = csrfRefusal(req, this.config.allowedOrigins);
    if (!refusal) return false;
    writeTrpcError(req, res, refusal);
    return true;
  }

  /** True when the request carries the scraper's bearer token (compared in constant time). */
  hasMetricsToken(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? "");
    const wanted = Buffer.from(`Bearer ${this.metricsToken}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  clientIp(req: IncomingMessage): string | null {
    return clientIp(req, this.config.trustedProxies);
  }

  private isSecure(req: IncomingMessage): boolean {
    if (this.config.secure || ("encrypted" in req.socket && req.socket.encrypted)) return true;
    return (
      trusted(this.config.trustedProxies, req.socket.remoteAddress) &&
      req.headers["x-forwarded-proto"] === "https"
    );
  }
}

/**
 * An error in tRPC's own response shape (one entry per call of a batch), so the tRPC client
 * surfaces the message and code like any procedure error.
 */
function writeTrpcError(req: IncomingMessage, res: ServerResponse, r: Refusal): void {
  const url = new URL(req.url ?? "/", "http://x");
  const paths = url.pathname.replace(/^\/trpc\//, "").split(",");
  const one = (path: string) => ({
    error: {
      message: r.message,
      code: TRPC_ERROR_CODES_BY_KEY[r.code],
      data: { code: r.code, httpStatus: r.status, path, reason: r.code === "FORBIDDEN" ? "CSRF" : r.code },
    },
  });
  const body = url.searchParams.get("batch") === "1" ? paths.map(one) : one(paths[0] ?? "");
  // The body is never read: close the connection rather than drain a possibly huge upload.
  res.writeHead(r.status, { "content-type": "application/json", connection: "close" });
  res.end(JSON.stringify(body));
}
