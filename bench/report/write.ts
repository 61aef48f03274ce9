/**
 * Writes bench/results/<date>.json, .md and .svg (a same-day run already there is kept, renamed
 * to <date>-<HHMM of its start>; the .md compares with the newest results file that started
 * before this run), and puts the tables of this run into README.md between the bench markers.
 * With BENCH_AB_LABEL set (an A/B run of one change), the files go to
 * bench/results/ab/<date>-<HHMM>-<label>.* instead and README and the dated files stay as they are.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/cluster.js";
import { chartSvg } from "./chart.js";
import { previousResults } from "./compare.js";
import { resultsMarkdown, resultsTables } from "./markdown.js";
import type { BenchResults } from "./results.js";

const start = "<!-- bench:latest:start -->";
const end = "<!-- bench:latest:end -->";

export function writeReports(r: BenchResults, abLabel = process.env.BENCH_AB_LABEL): string[] {
  const dir = join(repoRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const date = r.startedAt.slice(0, 10);
  // Read before this run's files replace a same-day one.
  const previous = previousResults(dir, r.startedAt);
  r.comparedWith = previous?.file ?? null;
  if (abLabel) return writeAbRun(r, previous, join(dir, "ab"), abLabel);
  const files = {
    json: join(dir, `${date}.json`),
    md: join(dir, `${date}.md`),
    svg: join(dir, `${date}.svg`),
  };
  keepEarlierRun(dir, date);
  writeFileSync(files.json, resultsJson(r));
  writeFileSync(files.md, resultsMarkdown(r, previous));
  writeFileSync(files.svg, chartSvg(r));
  const written = Object.values(files).map((f) => f.slice(repoRoot.length + 1));

  const readme = join(repoRoot, "README.md");
  if (existsSync(readme)) {
    const text = readFileSync(readme, "utf8");
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a >= 0 && b > a) {
      const body = `${resultsTables(r)}\n\n![latency against load, throughput against concurrency](bench/results/${date}.svg)\n\nFull report: [bench/results/${date}.md](bench/results/${date}.md), raw figures: [${date}.json](bench/results/${date}.json).`;
      writeFileSync(readme, `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`);
      written.push("README.md");
    }
  }
  return written;
}

// NaN (a figure with no samples) is not JSON: it is written as null.
const resultsJson = (r: BenchResults): string =>
  `${JSON.stringify(r, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;

/** An A/B run: its three files under ab/, named by start time and label; nothing else touched. */
function writeAbRun(
  r: BenchResults,
  previous: ReturnType<typeof previousResults>,
  dir: string,
  label: string,
): string[] {
  if (!/^[\w.-]+$/.test(label)) throw new Error(`BENCH_AB_LABEL: letters, digits, '.', '-' and '_' only (got "${label}")`);
  mkdirSync(dir, { recursive: true });
  const name = `${stamped(r.startedAt)}-${label}`;
  const md = withChart(resultsMarkdown(r, previous), r.startedAt.slice(0, 10), name);
  writeFileSync(join(dir, `${name}.json`), resultsJson(r));
  writeFileSync(join(dir, `${name}.md`), md);
  writeFileSync(join(dir, `${name}.svg`), chartSvg(r));
  return ["json", "md", "svg"].map((ext) => `bench/results/ab/${name}.${ext}`);
}

/**
 * An earlier run of the same day moves to <date>-<HHMM> (its start, UTC), its report's chart link
 * with it, so that every quiet run stays comparable and can be linked.
 */
function keepEarlierRun(dir: string, date: string): void {
  const json = join(dir, `${date}.json`);
  if (!existsSync(json)) return;
  const { startedAt } = JSON.parse(readFileSync(json, "utf8")) as { startedAt: string };
  const kept = stamped(startedAt);
  for (const ext of ["json", "svg"]) {
    if (existsSync(join(dir, `${date}.${ext}`))) renameSync(join(dir, `${date}.${ext}`), join(dir, `${kept}.${ext}`));
  }
  const md = join(dir, `${date}.md`);
  if (existsSync(md)) {
    writeFileSync(join(dir, `${kept}.md`), withChart(readFileSync(md, "utf8"), date, kept));
  }
}

/** A run's name by its start: <date>-<HHMM> (UTC). */
const stamped = (startedAt: string) =>
  `${startedAt.slice(0, 10)}-${startedAt.slice(11, 13)}${startedAt.slice(14, 16)}`;

/** A report written as <from>.md, its chart link pointing at <to>.svg instead. */
const withChart = (md: string, from: string, to: string) => md.replace(`(./${from}.svg)`, `(./${to}.svg)`);
