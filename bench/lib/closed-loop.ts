import { mono } from "./stats.js";

/**
 * A closed-loop load: `clients` workers, each starting its next iteration as soon as the last
 * one finished, until `seconds` have passed. An iteration that is running at the deadline is
 * allowed to finish (its work is not counted by callers that only count inside the window).
 * Returns the measured window in seconds.
 */
export async function closedLoop(opts: {
  clients: number;
  seconds: number;
  setup?: (client: number) => Promise<void>;
  iteration: (client: number, deadline: number) => Promise<void>;
}): Promise<{ seconds: number; start: number; end: number }> {
  if (opts.setup) await Promise.all(Array.from({ length: opts.clients }, (_, i) => opts.setup!(i)));
  const start = mono();
  const end = start + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, i) => {
      while (mono() < end) await opts.iteration(i, end);
    }),
  );
  return { seconds: opts.seconds, start, end };
}
