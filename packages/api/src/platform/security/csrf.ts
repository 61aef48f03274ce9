import type { IncomingMessage } from "node:http";

/** Why a request was refused before it reached a procedure. */
export interface Refusal {
  status: number;
  code: "FORBIDDEN" | "UNSUPPORTED_MEDIA_TYPE";
  message: string;
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Development (no ALLOWED_ORIGINS): the apps run on loopback, on whatever port. */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && loopbackHosts.has(url.hostname);
  } catch {
    return false;
  }
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * CSRF defence for cookie sessions. Only mutations change state, and tRPC serves them only as
 * POST (queries and SSE subscriptions are GET and read-only), so every POST must:
 *  - be JSON: a cross-site HTML form can only send urlencoded, multipart or text/plain bodies
 *    without a CORS preflight, and tRPC would otherwise run a mutation from multipart/octet-stream;
 *  - come from an allowed Origin. Browsers send Origin on every POST; a request without one is
 *    not a browser's, so it may act only with an explicit Authorization header and no cookie
 *    (a server-to-server client), never on an ambient session cookie.
 * Returns why the request is refused, or null to let it through.
 */
export function csrfRefusal(req: IncomingMessage, allowedOrigins: Set<string> | null): Refusal | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;

  const type = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    return {
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: "Changes must be sent as JSON (Content-Type: application/json)",
    };
  }

  const origin = header(req, "origin");
  if (origin === undefined) {
    if (header(req, "cookie") !== undefined) {
      return {
        status: 403,
        code: "FORBIDDEN",
        message:
          "A request without an Origin header may not use the session cookie; send it from the app or with an Authorization header",
      };
    }
    if (header(req, "authorization") === undefined) {
      return {
        status: 403,
        code: "FORBIDDEN",
        message: "A request without an Origin header must carry an Authorization header",
      };
    }
    return null;
  }
  const allowed = allowedOrigins ? allowedOrigins.has(origin) : isLoopbackOrigin(origin);
  if (!allowed) {
    return { status: 403, code: "FORBIDDEN", message: `Requests from ${origin} are not allowed` };
  }
  return null;
}
