/**
 * This run beside the previous one: every figure present in both results files, old → new with
 * the change in %. Lists of levels are matched by what identifies an entry (clients, connections,
 * subscribers, step, …), not by position, so a run with other levels still lines up.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { n, table } from "./format.js";

/** What names an entry of a list, in order of preference. */
const identities = ["clients", "connections", "subscribers", "step", "statement", "part", "group", "fn"];
/** Not figures of the system: the run's settings and identity. */
const skipped = new Set(["version", "config", "git", "machine.cpus", "machine.memoryGiB"]);

function flatten(v: unknown, path = "", out: Map<string, number> = new Map()): Map<string, number> {
  if (skipped.has(path)) return out;
  if (typeof v === "number") {
    if (Number.isFinite(v)) out.set(path, v);
  } else if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const id = item && typeof item === "object" ? identities.find((k) => k in item) : undefined;
      let key = id ? `${path}[${id}=${String((item as Record<string, unknown>)[id])}]` : `${path}[${i}]`;
      if (out.has(key) || [...out.keys()].some((k) => k.startsWith(`${key}.`))) key = `${key}#${i}`;
      flatten(item, key, out);
    });
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/** The newest results file that started before `startedAt` (the file this run replaces included). */
export function previousResults(dir: string, startedAt: string): { file: string; data: unknown } | null {
  let best: { file: string; data: unknown; startedAt: string } | null = null;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    try {
      const data = JSON.parse(readFileSync(join(dir, file), "utf8")) as { startedAt?: string };
      if (data.startedAt && data.startedAt < startedAt && (!best || data.startedAt > best.startedAt))
        best = { file, data, startedAt: data.startedAt };
    } catch {
      // not a results file
    }
  }
  return best && { file: best.file, data: best.data };
}

const fmt = (v: number) => n(v, Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3);
const change = (a: number, b: number) =>
  a === b ? "0 %" : a === 0 ? "n/a" : `${b > a ? "+" : ""}${n(((b - a) / Math.abs(a)) * 100, 1)} %`;

/** The headline figures, shown first; everything else follows per section. */
const headline = [
  /^baselines\.(postgres|http)\.maxPerSecond$/,
  /^baselines\.nats\.jsPublish\.perSecond$/,
  /^load\[clients=\d+\]\.lifecycle\.deliveredPerSecond$/,
  /^load\[clients=\d+\]\.lifecycle\.cost\.(cpuMs\.baedal|statements\.total|transactions\.total)$/,
  /^load\[clients=\d+\]\.lifecycle\.transactions\.perLifecycle$/,
  /^load\[clients=\d+\]\.placeOnly\.(perSecond|latency\.p99)$/,
  /^load\[clients=\d+\]\.lifecycle\.eventToScreen\.p99$/,
  /^fanout\[subscribers=\d+\]\.memory\.(rss|heap)PerConnectionKiB$/,
];

export function comparisonSection(
  current: unknown,
  previous: { file: string; data: unknown } | null,
): string {
  if (!previous) return "";
  const now = flatten(current);
  const old = flatten(previous.data);
  const both = [...now.keys()].filter((k) => old.has(k));
  const rowOf = (k: string) => [
    `\`${k}\``,
    fmt(old.get(k)!),
    fmt(now.get(k)!),
    change(old.get(k)!, now.get(k)!),
  ];
  const head = ["figure", "before", "now", "change"];
  const out = [
    `## Compared with the previous run (${previous.file})`,
    "",
    `${both.length} figures are in both results files (new figures have nothing to compare with yet). ` +
      "A change says nothing unless both runs had a quiet machine: see each file's load average and busyness.",
    "",
    table(head, both.filter((k) => headline.some((h) => h.test(k))).map(rowOf)),
    "",
  ];
  const sections = [...new Set(both.map((k) => k.split(/[.[]/)[0]!))];
  for (const s of sections) {
    const keys = both.filter((k) => k.split(/[.[]/)[0] === s);
    out.push(
      `<details><summary>${s}: ${keys.length} figures</summary>`,
      "",
      table(head, keys.map(rowOf)),
      "",
      "</details>",
      "",
    );
  }
  return out.join("\n");
}
