/** Number formatting and Markdown tables shared by the reports. */
import type { LatencySummary } from "../lib/stats.js";

export const n = (v: number, digits = 0) =>
  Number.isFinite(v)
    ? v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 })
    : "n/a";
export const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? n(v) : n(v, 1)) : "n/a");
export const lat = (s: LatencySummary, keys: ("p50" | "p95" | "p99")[] = ["p50", "p95", "p99"]) =>
  keys.map((k) => ms(s[k])).join(" / ");
export const x = (v: number, digits = 1) => (Number.isFinite(v) ? `${n(v, digits)}×` : "n/a");
export const pct = (v: number) => (Number.isFinite(v) ? `${n(v * 100, 1)} %` : "n/a");
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
export const table = (head: string[], rows: (string | number)[][]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
export const errors = (e: { total: number; byKind: Record<string, number> }) =>
  e.total === 0
    ? "0"
    : `${e.total} (${Object.entries(e.byKind)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")})`;
