import type http from "node:http";
import { ROOT_CONTEXT, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import type { AnyRouter } from "@trpc/server";
import { SpanKind, withLogScope } from "@baedal/events";
import { DomainError, toTRPCError } from "../errors.js";
import type { Logger } from "../logger.js";
import { draining as drainingGauge, httpRequestDuration } from "./metrics.js";

const isStream = (res: http.ServerResponse) =>
  String(res.getHeader("content-type") ?? "").startsWith("text/event-stream");

/**
 * Everything the HTTP layer does around a request that is not routing: a server span that
 * continues the caller's `traceparent`, a log scope (trace id, and the orderId once the request
 * learns it), the latency histogram, an access log line, and the in-flight bookkeeping that a
 * graceful stop needs (refuse new work with a clean 503, let running requests finish).
 */
export class HttpTraffic {
  private readonly inFlight = new Set<http.ServerResponse>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly procedures: Set<string>;
  private stopping = false;

  constructor(
    router: AnyRouter,
    private readonly log: Logger,
  ) {
    this.procedures = new Set(Object.keys(router._def.procedures as Record<string, unknown>));
  }

  get draining(): boolean {
    return this.stopping;
  }

  /** The tRPC error a request gets while the process drains: 503, "try again", reason DRAINING. */
  drainingError() {
    return toTRPCError(
      new DomainError(
        "SERVICE_UNAVAILABLE",
        "This server is restarting, please try again in a moment",
        "DRAINING",
      ),
    );
  }

  /** Wraps the server's request listener. */
  listener(inner: http.RequestListener): http.RequestListener {
    return (req, res) => {
      this.track(res);
      if (this.stopping) {
        // Tell keep-alive clients to reconnect (to a replica that is not stopping).
        res.setHeader("Connection", "close");
        res.setHeader("Retry-After", "1");
      }
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (!path.startsWith("/trpc/")) return inner(req, res);
      this.instrumented(path.slice("/trpc/".length), req, res, inner);
    };
  }

  /**
   * Graceful stop of the HTTP side: from now on every new request is answered with a clean 503
   * (`Connection: close`, `Retry-After`) and /readyz says not ready; live streams end (clients
   * resume them elsewhere with lastEventId); once the requests already running have answered (or
   * `timeoutMs` passed) the listener and every connection close. The listener stays open while
   * draining on purpose: a client reusing a kept-alive connection gets a 503 it can retry, not a
   * connection reset in the middle of a POST.
   */
  async drain(server: http.Server, timeoutMs: number): Promise<void> {
    this.stopping = true;
    drainingGauge.set(1);
    for (const res of this.inFlight) if (isStream(res)) res.destroy();
    const left = await this.whenIdle(timeoutMs);
    if (left > 0)
      this.log.warn({ requests: left }, "requests still running after the drain timeout; closing them");
    server.close();
    server.closeAllConnections();
  }

  private track(res: http.ServerResponse): void {
    this.inFlight.add(res);
    res.once("close", () => {
      this.inFlight.delete(res);
      if (this.running() === 0) for (const wake of this.idleWaiters) wake();
    });
  }

  /** Requests still being worked on (live streams are not: they never finish by themselves). */
  private running(): number {
    let n = 0;
    for (const res of this.inFlight) if (!isStream(res)) n++;
    return n;
  }

  private async whenIdle(timeoutMs: number): Promise<number> {
    if (this.running() === 0) return 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.idleWaiters.add(done);
    });
    return this.running();
  }

  private instrumented(
    calls: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    inner: http.RequestListener,
  ): void {
    const started = performance.now();
    const procedure = this.procedureLabel(calls);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = trace.getTracer("baedal").startSpan(
      `${req.method} /trpc/${procedure}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method ?? "",
          "url.path": `/trpc/${calls}`,
          "rpc.method": procedure,
        },
      },
      parent,
    );
    const ctx = withLogScope(trace.setSpan(parent, span), { procedure });
    res.setHeader("X-Trace-Id", span.spanContext().traceId);
    res.once("close", () => {
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
      const ms = performance.now() - started;
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      if (isStream(res)) return; // a live stream's length is not a latency
      httpRequestDuration.observe({ procedure, method: req.method ?? "", status: String(status) }, ms / 1000);
      context.with(ctx, () => {
        const line = { method: req.method, status, ms: Math.round(ms) };
        // 503 is the "try again shortly" answer (payment busy, breaker open, draining): expected, not a fault.
        if (status >= 500 && status !== 503) this.log.error(line, "request failed");
        else if (status === 503) this.log.warn(line, "request refused for now");
        else this.log.info(line, "request");
      });
    });
    context.with(ctx, () => inner(req, res));
  }

  /** Known procedure names only (a batch is "a,b"): arbitrary paths must not become label values. */
  private procedureLabel(calls: string): string {
    let decoded: string;
    try {
      decoded = decodeURIComponent(calls);
    } catch {
      return "unknown";
    }
    const names = decoded.split(",").map((p) => (this.procedures.has(p) ? p : "unknown"));
    return [...new Set(names)].join(",");
  }
}
