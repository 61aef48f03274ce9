import http from "node:http";
import type { AnyRouter, TRPCError } from "@trpc/server";
import type { ResponseMetaFn } from "@trpc/server/http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { actorFromHeaders } from "./auth.js";
import { logger } from "./logger.js";
import { LiveStreams } from "./sse.js";
import type { HttpTraffic } from "./observability/index.js";
import { loadSecurityConfig, type SecurityConfig } from "./security/config.js";
import { HttpGuard } from "./security/http-guard.js";
import type { RequestContext } from "./trpc.js";

export interface HttpOptions {
  router: AnyRouter;
  authSecret: string;
  /** Bearer token of /metrics and of /readyz's detail (METRICS_TOKEN). */
  metricsToken: string;
  /** True for a session signed out before its cookie expired (SessionRevocations). */
  isRevoked: (sessionId: string) => boolean;
  /** Readiness: true when the database, NATS and the consumers of this process are up. */
  ready: () => Promise<{ ok: boolean; detail: Record<string, unknown> }>;
  /** Origins, trusted proxies, body limit…; read from the environment when not given. */
  security?: SecurityConfig;
  /** Tracing, request metrics, access logs and the drain gate of a graceful stop (platform/observability). */
  traffic?: HttpTraffic;
  /** Prometheus exposition served at /metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

/** The HTTP face of a process: tRPC under /trpc, liveness at /healthz, readiness at /readyz, /metrics. */
export function createHttpServer(opts: HttpOptions): http.Server {
  const guard = new HttpGuard(opts.security ?? loadSecurityConfig(), opts.metricsToken);
  const createContext = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<RequestContext> => {
    // A stopping process takes no new work: a clean 503 the client retries.
    if (opts.traffic?.draining) throw opts.traffic.drainingError();
    return {
      actor: await actorFromHeaders(opts.authSecret, req.headers, opts.isRevoked),
      setCookie: (cookie) => res.appendHeader("Set-Cookie", cookie),
      origin: typeof req.headers.origin === "string" ? req.headers.origin : null,
      setHeader: (name, value) => res.setHeader(name, value),
      clientIp: guard.clientIp(req),
      cookie: req.headers.cookie ?? null,
      authorization: req.headers.authorization ?? null,
      userAgent: req.headers["user-agent"] ?? null,
    };
  };
  // Unexpected failures are logged with the request's trace id; the client sees no details.
  const onError = ({ error, path }: { error: TRPCError; path?: string }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") {
      logger.error({ path, err: String(error.cause ?? error), stack: (error.cause ?? error).stack }, "procedure failed");
    }
  };
  const live = new LiveStreams({ router: opts.router, createContext, onError });
  const trpc = createHTTPHandler({
    router: opts.router,
    basePath: "/trpc/",
    // A bigger body is answered 413 without being read to the end.
    maxBodySize: guard.config.maxBodyBytes,
    maxBatchSize: guard.config.maxBatchSize,
    responseMeta: noStoreForPersonalData,
    createContext: ({ req, res }) => createContext(req, res),
    onError,
  });
  const instrument = (l: http.RequestListener) => opts.traffic?.listener(l) ?? l;
  const server = http.createServer(
    instrument((req, res) => {
      guard.applyHeaders(req, res);
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/healthz") return json(res, 200, { ok: true });
      if (path === "/readyz") {
        // Anyone (the orchestrator's probe) gets the status; the detail (consumers, counts,
        // breaker states) only the scraper's token.
        const detailed = guard.hasMetricsToken(req);
        void opts.ready().then(
          (r) => json(res, r.ok ? 200 : 503, detailed ? { status: statusOf(r.ok), ...r } : { status: statusOf(r.ok) }),
          (err) =>
            json(res, 503, detailed ? { status: statusOf(false), ok: false, error: String(err) } : { status: statusOf(false) }),
        );
        return;
      }
      if (path === "/metrics" && opts.metrics) {
        if (!guard.hasMetricsToken(req)) return json(res, 401, { error: "/metrics needs the scrape token" });
        void opts.metrics().then(
          (m) => {
            res.writeHead(200, { "content-type": m.contentType });
            res.end(m.body);
          },
          (err) => json(res, 500, { error: String(err) }),
        );
        return;
      }
      if (path?.startsWith("/trpc/")) {
        if (guard.refuse(req, res)) return;
        const procedure = safeDecode(path.slice("/trpc/".length));
        if (procedure && live.handles(req, procedure)) {
          return void live.serve(req, res, procedure).catch(() => res.destroy());
        }
        return trpc(req, res);
      }
      json(res, 404, { error: "not found" });
    }),
  );
  // A keep-alive connection stays open well beyond any client's idle timeout (browsers, undici,
  // node:http agents, proxies), so the client closes an idle one first. With Node's 5 s the
  // server could close it just as a client sent the next request on it: under load (event-loop
  // lag past the client's 1 s margin) the bench saw POSTs fail with ECONNRESET / socket hang up.
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = keepAliveTimeoutMs + 1_000;
  return server;
}

/** How long an idle keep-alive connection is kept (announced as `Keep-Alive: timeout=65`). */
const keepAliveTimeoutMs = 65_000;

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null; // tRPC's handler answers the malformed path
  }
}

const statusOf = (ok: boolean) => (ok ? "ready" : "unavailable");

/**
 * Answers that may carry personal data are never stored by a browser or a shared cache: every
 * answer to a signed-in caller (their orders, My page, their profile, a rider's calls), every
 * mutation (sign-in and sign-up answer with the account), every error. Only an anonymous query
 * (the public catalogue) is left to the default. Decided here, per call, for every router.
 */
const noStoreForPersonalData: ResponseMetaFn<AnyRouter> = ({ ctx, type, errors }) =>
  (ctx as RequestContext | undefined)?.actor || type !== "query" || errors.length > 0
    ? { headers: { "cache-control": "no-store" } }
    : {};

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
