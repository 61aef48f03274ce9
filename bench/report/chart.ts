/**
 * The results chart as a standalone SVG (no library): latency against load on the left,
 * throughput against concurrency on the right, concurrency on a log2 axis.
 */
import type { BenchResults } from "./results.js";

interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [x: number, y: number][];
}

const W = 460;
const H = 320;
const M = { left: 58, right: 16, top: 34, bottom: 78 };
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const fmt = (v: number) =>
  v >= 1000
    ? `${Math.round(v / 100) / 10}k`
    : v >= 10
      ? String(Math.round(v))
      : String(Math.round(v * 10) / 10);

function panel(opts: {
  title: string;
  yLabel: string;
  logY: boolean;
  xs: number[];
  series: Series[];
  offsetX: number;
}): string {
  const pts = opts.series
    .flatMap((s) => s.points)
    .filter(([, y]) => Number.isFinite(y) && (!opts.logY || y > 0));
  const xMin = Math.log2(Math.min(...opts.xs));
  const xMax = Math.max(xMin + 1, Math.log2(Math.max(...opts.xs)));
  const ys = pts.map(([, y]) => y);
  let yMin = opts.logY ? Math.log10(Math.max(0.1, Math.min(...ys)) * 0.8) : 0;
  let yMax = opts.logY ? Math.log10(Math.max(...ys) * 1.25) : Math.max(...ys) * 1.15;
  if (!Number.isFinite(yMin) || !Number.isFinite(yMax) || yMax <= yMin) [yMin, yMax] = [0, 1];
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((Math.log2(x) - xMin) / (xMax - xMin)) * iw;
  const sy = (y: number) => M.top + ih - (((opts.logY ? Math.log10(y) : y) - yMin) / (yMax - yMin)) * ih;
  const out: string[] = [`<g transform="translate(${opts.offsetX},0)">`];
  out.push(
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(opts.title)}</text>`,
  );
  // y grid and labels
  const yTicks: number[] = [];
  if (opts.logY) {
    for (let e = Math.floor(yMin); e <= Math.ceil(yMax); e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (Math.log10(v) >= yMin && Math.log10(v) <= yMax) yTicks.push(v);
      }
  } else {
    const step = 10 ** Math.floor(Math.log10(yMax / 4 || 1));
    const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => yMax / s <= 6) ?? step * 10;
    for (let v = 0; v <= yMax; v += nice) yTicks.push(v);
  }
  for (const v of yTicks) {
    const y = sy(v);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(
      `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#4b5563">${fmt(v)}</text>`,
    );
  }
  for (const x of opts.xs) {
    out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${M.top}" y2="${M.top + ih}" stroke="#f3f4f6"/>`);
    out.push(
      `<text x="${sx(x)}" y="${M.top + ih + 16}" text-anchor="middle" font-size="11" fill="#4b5563">${x}</text>`,
    );
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${iw}" height="${ih}" fill="none" stroke="#9ca3af"/>`);
  out.push(
    `<text x="${M.left + iw / 2}" y="${M.top + ih + 32}" text-anchor="middle" font-size="11">concurrent clients (log scale)</text>`,
  );
  out.push(
    `<text transform="translate(14,${M.top + ih / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(opts.yLabel)}</text>`,
  );
  opts.series.forEach((s, i) => {
    const p = s.points.filter(([, y]) => Number.isFinite(y) && (!opts.logY || y > 0));
    if (p.length) {
      const d = p.map(([x, y], j) => `${j ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
      out.push(
        `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`,
      );
      for (const [x, y] of p)
        out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    const lx = M.left + (i % 2) * (iw / 2);
    const ly = M.top + ih + 48 + Math.floor(i / 2) * 15;
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`,
    );
    out.push(`<text x="${lx + 24}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
  });
  out.push("</g>");
  return out.join("\n");
}

export function chartSvg(r: BenchResults): string {
  const xs = r.load.map((l) => l.clients);
  const at = (f: (l: BenchResults["load"][number]) => number): [number, number][] =>
    r.load.map((l) => [l.clients, f(l)]);
  const left = panel({
    title: "Latency against load",
    yLabel: "milliseconds (log scale)",
    logY: true,
    xs,
    offsetX: 0,
    series: [
      { name: "place-order p50", color: "#2563eb", points: at((l) => l.placeOnly.latency.p50) },
      { name: "place-order p99", color: "#1e3a8a", points: at((l) => l.placeOnly.latency.p99) },
      {
        name: "event-to-screen p50",
        color: "#f59e0b",
        dashed: true,
        points: at((l) => l.lifecycle.eventToScreen.p50),
      },
      {
        name: "event-to-screen p99",
        color: "#b45309",
        dashed: true,
        points: at((l) => l.lifecycle.eventToScreen.p99),
      },
    ],
  });
  const right = panel({
    title: "Throughput against concurrency",
    yLabel: "orders per second",
    logY: false,
    xs,
    offsetX: W,
    series: [
      { name: "placed/s (placing only)", color: "#059669", points: at((l) => l.placeOnly.perSecond) },
      { name: "full lifecycles/s", color: "#7c3aed", points: at((l) => l.lifecycle.deliveredPerSecond) },
    ],
  });
  const caption = `Baedal bench ${r.startedAt.slice(0, 10)} · ${r.machine.cpus} cores · commit ${r.git.commit.slice(0, 8)}${r.git.dirty ? " (dirty)" : ""}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 18}" viewBox="0 0 ${2 * W} ${H + 18}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
${left}
${right}
<text x="${W}" y="${H + 12}" text-anchor="middle" font-size="10" fill="#6b7280">${esc(caption)}</text>
</svg>
`;
}
