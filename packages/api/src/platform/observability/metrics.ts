import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { observeMessaging } from "@baedal/events";

/**
 * The Prometheus metrics of a Baedal process (served at /metrics). Names are the contract with
 * infra/monitoring (alert rules and the Grafana dashboard); a test checks every name those files
 * use is exported here.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: "baedal_http_request_duration_seconds",
  help: "HTTP requests (tRPC queries and mutations; not live SSE streams) by procedure and status",
  labelNames: ["procedure", "method", "status"] as const,
  buckets: seconds,
  registers: [registry],
});

const byContextAndType = ["context", "type"] as const;

const eventsPublished = new Counter({
  name: "baedal_events_published_total",
  help: "Events the outbox relay published to JetStream",
  labelNames: byContextAndType,
  registers: [registry],
});

const eventsHandled = new Counter({
  name: "baedal_events_handled_total",
  help: "Events a consumer handled and acked (duplicates included)",
  labelNames: byContextAndType,
  registers: [registry],
});

const eventsFailed = new Counter({
  name: "baedal_events_failed_total",
  help: "Failed attempts at handling an event (each is retried, or parked on the last attempt)",
  labelNames: byContextAndType,
  registers: [registry],
});

const eventsParked = new Counter({
  name: "baedal_events_parked_total",
  help: "Events parked in a dead_letter table after bounded redelivery",
  labelNames: byContextAndType,
  registers: [registry],
});

const eventHandleDuration = new Histogram({
  name: "baedal_event_handle_duration_seconds",
  help: "Time from receiving an event to acking it",
  labelNames: byContextAndType,
  buckets: seconds,
  registers: [registry],
});

const relayPolls = new Counter({
  name: "baedal_outbox_polls_total",
  help: "Passes of the outbox relay over its table: result=empty (found nothing: the idle cost of polling) or published",
  labelNames: ["context", "result"] as const,
  registers: [registry],
});

const rpcCalls = new Counter({
  name: "baedal_rpc_calls_total",
  help: "Request/reply calls to another context by outcome (ok, refused = business refusal, unavailable, timeout)",
  labelNames: ["service", "method", "outcome"] as const,
  registers: [registry],
});

const rpcCallDuration = new Histogram({
  name: "baedal_rpc_call_duration_seconds",
  help: "Request/reply call latency, as the caller sees it",
  labelNames: ["service", "method"] as const,
  buckets: seconds,
  registers: [registry],
});

// Gauges read at scrape time from the running contexts (see collectors.ts).

export const consumerPending = new Gauge({
  name: "baedal_consumer_pending_messages",
  help: "Messages JetStream holds for a durable consumer: not yet delivered plus delivered and not acked",
  labelNames: ["context", "consumer"] as const,
  registers: [registry],
});

export const consumerBound = new Gauge({
  name: "baedal_consumer_bound",
  help: "1 when this process is bound to the durable consumer and pulling from it",
  labelNames: ["context", "consumer"] as const,
  registers: [registry],
});

export const outboxBacklog = new Gauge({
  name: "baedal_outbox_backlog_events",
  help: "Outbox rows committed and not yet published",
  labelNames: ["context"] as const,
  registers: [registry],
});

export const outboxOldestAge = new Gauge({
  name: "baedal_outbox_oldest_age_seconds",
  help: "Age of the oldest unpublished outbox row (0 when none)",
  labelNames: ["context"] as const,
  registers: [registry],
});

export const deadLetters = new Gauge({
  name: "baedal_dead_letters",
  help: "Parked events not yet replayed or discarded, per consumer",
  labelNames: ["context", "consumer"] as const,
  registers: [registry],
});

export const breakerState = new Gauge({
  name: "baedal_rpc_breaker_state",
  help: "Circuit breaker of calls to a context: 0 closed, 1 half-open, 2 open, 3 isolated (worst of this process's clients)",
  labelNames: ["service"] as const,
  registers: [registry],
});

export const draining = new Gauge({
  name: "baedal_process_draining",
  help: "1 while the process is shutting down gracefully (refusing new requests, finishing in-flight work)",
  registers: [registry],
});

/** Feeds the messaging layer's reports (relay, consumers, RPC clients) into the metrics above. */
export function installMessagingMetrics(): void {
  observeMessaging({
    published: (context, type) => eventsPublished.inc({ context, type }),
    handled: (context, type, s) => {
      eventsHandled.inc({ context, type });
      eventHandleDuration.observe({ context, type }, s);
    },
    failed: (context, type) => eventsFailed.inc({ context, type }),
    parked: (context, type) => eventsParked.inc({ context, type }),
    rpcCall: (service, method, outcome, s) => {
      rpcCalls.inc({ service, method, outcome });
      rpcCallDuration.observe({ service, method }, s);
    },
    relayPolled: (context, published) =>
      relayPolls.inc({ context, result: published === 0 ? "empty" : "published" }),
  });
}
