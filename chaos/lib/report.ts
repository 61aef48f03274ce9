/** A chaos run as text: the counts first (what fails the run), then the evidence. */
import { failingCategories, type Category } from "./checker.js";
import type { ScenarioResult } from "./scenario.js";

const labels: Record<Category, string> = {
  lostEvents: "lost events",
  deadLetters: "dead letters",
  duplicateEffects: "duplicate effects (charges, refunds, settlements, tickets, calls, live steps)",
  paymentViolations: "payment invariant violations (inv. 1-3)",
  propagationGaps: "events that did not reach store/delivery",
  readModelMismatches: "read-model mismatches (My page, report)",
  stuckOrders: "stuck orders",
  driverSurprises: "unexpected API answers",
  workerCrashes: "workers that died on their own",
};

const tally = (items: string[]) => {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ${n}`).join(", ") || "none";
};

export function formatReport(r: ScenarioResult): string {
  const c = r.check;
  const o = c.orders;
  const lines: string[] = [];
  lines.push(
    `Baedal chaos run — seed ${r.seed}, started ${r.startedAt}, ${r.chaosS}s of faults, ${r.durationS}s in all`,
  );
  lines.push(
    `orders: ${o.placed} placed (${o.delivered} delivered, ${o.cancelled} cancelled), ${o.declined} declined, ` +
      `${o.expired} expired checkouts, ${o.checkoutAttempts} checkouts, ${o.events} events; ` +
      `${o.settlements} rider fees settled, ${o.cancelledYetDelivered} cancelled after pickup yet delivered`,
  );
  lines.push(`journeys: ${r.journeys.length} (${tally(r.journeys.map((j) => j.fate))})`);
  lines.push(`faults: ${r.faults.length} (${tally(r.faults.map((f) => f.kind))})`);
  lines.push(
    `worker exits: ${tally(r.exits.map((e) => e.cause))}; NATS restarts ${r.restarts.nats}, Postgres restarts ${r.restarts.postgres}`,
  );
  lines.push(
    r.quiet.quiet
      ? `quiet after ${(r.quiet.waitedMs / 1000).toFixed(1)}s`
      : `NOT QUIET: ${r.quiet.busy.join("; ")}`,
  );
  lines.push("");
  for (const k of failingCategories) lines.push(`${String(c.counts[k]).padStart(6)}  ${labels[k]}`);
  lines.push("");
  lines.push(`RESULT: ${r.passed ? "PASS" : "FAIL"}`);

  for (const k of failingCategories) {
    if (c.findings[k].length === 0) continue;
    lines.push("", `## ${labels[k]} (${c.counts[k]})`);
    for (const f of c.findings[k]) lines.push(`- ${f}`);
    if (c.counts[k] > c.findings[k].length) lines.push(`- … and ${c.counts[k] - c.findings[k].length} more`);
  }
  const unexpected = r.exits.filter((e) => e.cause === "unexpected");
  if (unexpected.length) {
    lines.push("", `## last words of the workers that died on their own (restarted by the supervisor)`);
    for (const e of unexpected.slice(0, 10)) {
      lines.push(
        `- ${e.key} code=${e.code} signal=${e.signal}`,
        ...e.tail
          .split("\n")
          .slice(-4)
          .map((l) => `    ${l.slice(0, 300)}`),
      );
    }
  }
  lines.push("", "## fault timeline");
  for (const f of r.faults) lines.push(`- t=${f.t}s ${f.kind} ${f.target} ${f.detail}`);
  if (r.logsDir) lines.push("", `process logs: ${r.logsDir}`);
  return lines.join("\n");
}
