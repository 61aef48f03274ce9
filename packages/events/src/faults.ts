import { eventsSetting } from "./config.js";

/**
 * Crash points for fault tests: BAEDAL_FAULTS="outbox.beforePublish,consumer.beforeAck" makes the
 * process die (like kill -9) the first time it reaches one of them. Off unless the variable is set.
 */

export type FaultPoint = "outbox.beforePublish" | "outbox.beforeMarkPublished" | "consumer.beforeAck";

export function crashPoint(point: FaultPoint): void {
  if (!eventsSetting("BAEDAL_FAULTS").includes(point)) return;
  process.stderr.write(`fault injected: crashing at ${point}\n`);
  process.kill(process.pid, "SIGKILL");
}
