import { pino } from "pino";
import { currentLogFields } from "@baedal/events";
import { setting } from "./config.js";

export const logger = pino({
  level: setting("LOG_LEVEL"),
  base: { pid: process.pid, process: setting("BAEDAL_PROCESS") },
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
