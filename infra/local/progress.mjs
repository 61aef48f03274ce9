// Progress of the long steps of `npm start` / `npm test` (apt-get, npm ci, prisma generate, the
// builds): a line when a step starts, one when it ends with its duration, and in between a
// heartbeat every 10 s while the step itself prints nothing, so a terminal is never silent for
// long. Node built-ins only (this runs before `npm install`).

let lastOutputAt = 0;
/** Called for each line a step's command printed: the heartbeat waits while output flows. */
export const noteOutput = () => {
  lastOutputAt = Date.now();
};

export const seconds = (ms) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/**
 * Runs `fn` as the step `what` ("installing chromium", "building web"). `status()`, when given, adds
 * what the step last said to the heartbeat (e.g. apt-get's last line).
 */
export async function timed(log, what, fn, { heartbeatMs = 10_000, status } = {}) {
  const started = Date.now();
  log(`${what} …`);
  const timer = setInterval(() => {
    if (Date.now() - lastOutputAt < heartbeatMs) return;
    const extra = status?.();
    log(`still ${what}… ${seconds(Date.now() - started)}${extra ? ` — ${extra}` : ""}`);
  }, heartbeatMs);
  try {
    const out = await fn();
    log(`${what}: done in ${seconds(Date.now() - started)}`);
    return out;
  } catch (err) {
    log(`${what}: failed after ${seconds(Date.now() - started)}`);
    throw err;
  } finally {
    clearInterval(timer);
  }
}
