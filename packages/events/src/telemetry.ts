/**
 * Telemetry plumbing of the messaging layer, with no SDK and no metrics library in it:
 *  - trace context carried in W3C `traceparent` headers (NATS message headers, outbox rows), so a
 *    trace started by an HTTP request continues through the relay, every consumer and RPC call;
 *  - a log scope in the active context (orderId, eventId, …) that the process logger adds to every
 *    line, so handlers log with their order and trace without passing fields around;
 *  - a metrics observer the process installs (prom-client in packages/api); a no-op until then.
 * The process that runs contexts registers the OpenTelemetry SDK (context manager, propagator,
 * exporter); without it every function here is a cheap no-op.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  createContextKey,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from "@opentelemetry/api";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";

export { SpanKind };

const tracer = () => trace.getTracer("baedal");

// ---------------------------------------------------------------------------------------------
// Trace context carriers

/** A trace context as plain headers (`traceparent`, `tracestate`): what an outbox row stores. */
export type TraceCarrier = Record<string, string>;

/** The active (or given) trace context as headers; null when there is no trace to continue. */
export function traceCarrier(ctx: Context = context.active()): TraceCarrier | null {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

const natsGetter: TextMapGetter<MsgHdrs> = {
  keys: (h) => h.keys(),
  // MsgHdrs.get answers "" for a missing header.
  get: (h, key) => h.get(key) || undefined,
};

/** The trace context a producer left in a message's headers or an outbox row (a fresh root when none). */
export function contextFromCarrier(carrier: TraceCarrier | MsgHdrs | null | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  if (typeof (carrier as MsgHdrs).keys === "function" && typeof (carrier as MsgHdrs).get === "function") {
    return propagation.extract(ROOT_CONTEXT, carrier as MsgHdrs, natsGetter);
  }
  return propagation.extract(ROOT_CONTEXT, carrier as TraceCarrier);
}

/** NATS headers carrying the active trace context (plus any extra headers given). */
export function natsTraceHeaders(extra: Record<string, string | null | undefined> = {}): MsgHdrs {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(traceCarrier() ?? {})) h.set(k, v);
  for (const [k, v] of Object.entries(extra)) if (v) h.set(k, v);
  return h;
}

// ---------------------------------------------------------------------------------------------
// Log scope: fields every log line written in this context carries

/** Fields known about the work at hand; `orderId` is the correlation key of everything after an order. */
export interface LogScope {
  orderId?: string | null;
  eventId?: string;
  eventType?: string;
  consumer?: string;
  [field: string]: string | number | null | undefined;
}

const logScopeKey = createContextKey("baedal.log-scope");

/** A context whose log scope adds `fields` to the parent's (a new scope object: annotating it stays local). */
export function withLogScope(ctx: Context, fields: LogScope): Context {
  const parent = ctx.getValue(logScopeKey) as LogScope | undefined;
  return ctx.setValue(logScopeKey, { ...parent, ...dropEmpty(fields) });
}

/**
 * Adds what was learnt along the way (e.g. the orderId a request just created) to the current
 * scope and span; fields already known are kept.
 */
export function annotate(fields: LogScope): void {
  const ctx = context.active();
  const scope = ctx.getValue(logScopeKey) as LogScope | undefined;
  const span = trace.getSpan(ctx);
  for (const [k, v] of Object.entries(dropEmpty(fields))) {
    if (scope && scope[k] == null) scope[k] = v;
    if (k === "orderId") span?.setAttribute("baedal.order_id", String(v));
  }
}

/** The log scope and trace ids of the active context: the process logger adds them to each line. */
export function currentLogFields(): Record<string, unknown> {
  const ctx = context.active();
  const scope = ctx.getValue(logScopeKey) as LogScope | undefined;
  const sc = trace.getSpan(ctx)?.spanContext();
  if (!scope && !sc) return {};
  const fields: Record<string, unknown> = { ...scope };
  if (sc && isSpanContextValid(sc)) {
    fields.traceId = sc.traceId;
    fields.spanId = sc.spanId;
  }
  return fields;
}

function dropEmpty(fields: LogScope): LogScope {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v != null && v !== ""));
}

// ---------------------------------------------------------------------------------------------
// Spans

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** Parent context; the active one when omitted. */
  parent?: Context;
  /** Log fields for everything that runs inside the span. */
  log?: LogScope;
}

/**
 * Runs `fn` inside a new span (and log scope), ending the span when `fn` settles and marking it
 * failed when `fn` throws.
 */
export async function inSpan<T>(name: string, opts: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = opts.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: opts.kind, attributes: opts.attributes }, parent);
  let ctx = trace.setSpan(parent, span);
  if (opts.log) ctx = withLogScope(ctx, opts.log);
  try {
    return await context.with(ctx, () => fn(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Runs `fn` outside any trace or log scope (background work started from inside a request). */
export function detached<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

// ---------------------------------------------------------------------------------------------
// Metrics observer

export type RpcOutcome = "ok" | "refused" | "unavailable" | "timeout";

/** What the messaging layer reports; `context` is the bounded context doing the work. */
export interface MessagingObserver {
  published(context: string, type: string): void;
  /** An event applied (or recognised as a duplicate) and acked. */
  handled(context: string, type: string, seconds: number): void;
  /** One failed attempt at handling an event (it is retried, or parked on the last attempt). */
  failed(context: string, type: string): void;
  parked(context: string, type: string): void;
  rpcCall(service: string, method: string, outcome: RpcOutcome, seconds: number): void;
  /** One pass of the outbox relay over its table: `published` rows went out (0: it found none). */
  relayPolled(context: string, published: number): void;
}

const noop: MessagingObserver = {
  published: () => undefined,
  handled: () => undefined,
  failed: () => undefined,
  parked: () => undefined,
  rpcCall: () => undefined,
  relayPolled: () => undefined,
};
let observer: MessagingObserver = noop;

/** Installs the process's metrics (once per process; a second call replaces the first). */
export function observeMessaging(o: MessagingObserver): void {
  observer = o;
}

export const messagingObserver = (): MessagingObserver => observer;
