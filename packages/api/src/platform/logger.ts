import { pino } from "pino";
import { currentLogFields } from "@baedal/events";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { pid: process.pid, process: process.env.BAEDAL_PROCESS ?? "baedal" },
  // Every line carries what the active context knows: traceId/spanId, orderId, eventId, … (a
  // request's or an event handler's log scope, see @baedal/events telemetry).
  mixin: () => currentLogFields(),
});
export type Logger = typeof logger;

/** Adapter for the events package's plain log callback. */
export const eventLog =
  (log: Logger) =>
  (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) =>
    log[level](extra ?? {}, msg);
