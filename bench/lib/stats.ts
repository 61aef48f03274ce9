/** Latency samples and the few statistics the bench reports. Times are milliseconds. */

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (`q` in 0..1). */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    count: s.length,
    mean: round(s.length ? sum / s.length : Number.NaN),
    p50: round(percentile(s, 0.5)),
    p95: round(percentile(s, 0.95)),
    p99: round(percentile(s, 0.99)),
    max: round(s.length ? s[s.length - 1]! : Number.NaN),
  };
}

/** Rounds to `digits` decimals; NaN (no samples) stays NaN so a report can print "n/a". */
export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A ratio that reads as "n/a" instead of Infinity or NaN when a side is missing. */
export function ratio(a: number, b: number, digits = 2): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? round(a / b, digits) : Number.NaN;
}

/** Counts of errors by a short label (tRPC code, "timeout: PLACED", …). */
export class ErrorTally {
  readonly byKind: Record<string, number> = {};
  total = 0;
  add(kind: string): void {
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.total++;
  }
}

/** A short label for a thrown error: the tRPC code when there is one, else its message. */
export function errorKind(err: unknown): string {
  const e = err as { data?: { code?: string }; message?: string; name?: string };
  if (e?.data?.code) return e.data.code;
  const msg = String(e?.message ?? err);
  return msg.length > 80 ? `${msg.slice(0, 77)}...` : msg;
}

/** Monotonic clock for durations measured inside this process. */
export const mono = () => performance.now();
/** Wall clock, for comparing with times stamped by other processes on this machine (ms resolution). */
export const wall = () => Date.now();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
