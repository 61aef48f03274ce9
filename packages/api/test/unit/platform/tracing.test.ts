import { isSpanContextValid, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { logger } from "../../../src/platform/logger.js";
import { setupTracing } from "../../../src/platform/observability/tracing.js";

/**
 * Spans cost CPU on every request, event and query when they are recorded; with no exporter
 * configured nobody reads them, so they are not recorded — but they keep their ids, which the
 * logs and the propagated `traceparent` carry.
 */
describe("tracing records spans only when something exports them", () => {
  let shutdown: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await shutdown?.();
    trace.disable();
    delete process.env.BAEDAL_TRACE_EXPORT;
  });

  it("nothing exported: spans are not recorded, yet carry valid trace and span ids", async () => {
    delete process.env.BAEDAL_TRACE_EXPORT;
    shutdown = setupTracing("test", logger).shutdown;
    const span = trace.getTracer("t").startSpan("work");
    expect(span.isRecording()).toBe(false);
    expect(isSpanContextValid(span.spanContext())).toBe(true);
    span.end();
  });

  it("exported (BAEDAL_TRACE_EXPORT=log): every span is recorded", async () => {
    process.env.BAEDAL_TRACE_EXPORT = "log";
    shutdown = setupTracing("test", logger.child({}, { level: "silent" })).shutdown;
    const span = trace.getTracer("t").startSpan("work");
    expect(span.isRecording()).toBe(true);
    span.end();
  });
});
