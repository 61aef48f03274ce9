/**
 * The two ways the suite runs. The short run is part of `npm test` and must stay under three
 * minutes on an ordinary machine (about half of it is starting the processes); the long run is
 * `npm run chaos -- --minutes N`.
 */
import type { ScenarioOptions } from "./scenario.js";

type Preset = Omit<ScenarioOptions, "seed" | "log" | "keepLogsIn" | "keepLogsOnlyOnFailure">;

export function shortRun(): Preset {
  return { chaosMs: 40_000, finishMs: 60_000, quietMs: 40_000, concurrency: 10, faultGapMs: [1_500, 3_500] };
}

export function longRun(minutes: number): Preset {
  const chaosMs = minutes * 60_000;
  return {
    chaosMs,
    finishMs: Math.max(60_000, Math.min(chaosMs / 4, 180_000)),
    quietMs: 120_000,
    concurrency: 12,
    faultGapMs: [1_500, 5_000],
  };
}
