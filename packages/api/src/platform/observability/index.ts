/** Observability of a Baedal process: traces, metrics, readiness and the HTTP side of a graceful stop. */
export { setupTracing } from "./tracing.js";
export { installMessagingMetrics, registry } from "./metrics.js";
export { RuntimeGauges } from "./collectors.js";
export { checkReadiness } from "./readiness.js";
export { HttpTraffic } from "./http-traffic.js";
export { countNatsMessages, countStatements } from "./work-counters.js";
