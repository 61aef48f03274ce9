/**
 * The security headers every Baedal response carries: the API's (JSON only) and both Next apps'
 * (HTML). One list so the apps and the API cannot drift apart. No imports on purpose: the Next
 * apps load this file from their next.config.ts, before any bundler runs.
 */
export interface SecurityHeader {
  key: string;
  value: string;
}

export interface SecurityHeaderOptions {
  /** Served over HTTPS (COOKIE_SECURE=1 or a TLS request): adds Strict-Transport-Security. */
  secure?: boolean;
  /** `next dev`: React's dev build evaluates code (stack reconstruction) and needs 'unsafe-eval'. */
  dev?: boolean;
}

const csp = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");

/** Headers that mean the same for an HTML page and a JSON response. */
function common(opts: SecurityHeaderOptions): SecurityHeader[] {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Older browsers that ignore CSP frame-ancestors.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    // Nothing in Baedal needs these device features; location is typed in, not sensed.
    {
      key: "Permissions-Policy",
      value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ...(opts.secure
      ? [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]
      : []),
  ];
}

/** The API only ever answers JSON or an SSE stream: nothing may load, run or frame it. */
export function apiSecurityHeaders(opts: SecurityHeaderOptions = {}): SecurityHeader[] {
  return [
    {
      key: "Content-Security-Policy",
      value: csp({
        "default-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
      }),
    },
    ...common(opts),
  ];
}

/**
 * The Next apps' pages. Next's App Router streams its RSC payload through inline `<script>`
 * tags, so without per-request nonces script-src needs 'unsafe-inline' next to 'self'; styles
 * likewise (Tailwind's runtime-free CSS is 'self', React style attributes are inline). Images may
 * come from a menu item's https imageUrl. Live views use SSE through the app's own /trpc proxy,
 * so connect-src stays 'self'.
 */
export function nextSecurityHeaders(opts: SecurityHeaderOptions = {}): SecurityHeader[] {
  return [
    {
      key: "Content-Security-Policy",
      value: csp({
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", ...(opts.dev ? ["'unsafe-eval'"] : [])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(opts.secure ? { "upgrade-insecure-requests": [] } : {}),
      }),
    },
    ...common(opts),
  ];
}

/**
 * The `headers()` of a next.config.ts: every path of the app gets the page headers. `env`: the
 * app's environment (web/config.ts) when Next loads its config (`next dev` / `next build` / `next start`).
 */
export async function nextHeadersConfig(env: { COOKIE_SECURE?: string; NODE_ENV?: string }) {
  const headers = nextSecurityHeaders({
    secure: env.COOKIE_SECURE === "1",
    dev: env.NODE_ENV !== "production",
  });
  return [{ source: "/:path*", headers }];
}
