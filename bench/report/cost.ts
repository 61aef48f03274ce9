/**
 * The cost tables: what one order costs (per lifecycle at each load level, and per step), what the
 * idle system costs, split processes beside one process, and how busy the machine was.
 */
import type { UnitCost } from "../lib/cost-meter.js";
import { errors, lat, n, table } from "./format.js";
import type { BenchResults } from "./results.js";

const one = (v: number) => n(v, 1);
const sentReceived = (c: UnitCost) => `${one(c.nats.sent)} / ${one(c.nats.received)}`;
const rows = (c: UnitCost) => c.pg.rowsInserted + c.pg.rowsUpdated + c.pg.rowsDeleted;
const share = (v: number) => (Number.isFinite(v) ? `${n(v * 100)} %` : "n/a");

/** The columns every cost row shows, in the same order everywhere. */
const costHead = [
  "CPU ms, Baedal (gross)",
  "CPU ms, Postgres / NATS",
  "SQL statements (gross)",
  "transactions: pools / Postgres",
  "rows written",
  "NATS msgs sent / received",
  "JetStream events",
  "RPC calls",
];
const costCells = (c: UnitCost) => [
  `${one(c.cpuMs.baedal)} (${one(c.gross.cpuMsBaedal)})`,
  `${one(c.cpuMs.postgres)} / ${one(c.cpuMs.nats)}`,
  `${one(c.statements.total)} (${one(c.gross.statements)})`,
  `${one(c.transactions.total)} / ${one(c.pg.transactions)}`,
  one(rows(c)),
  sentReceived(c),
  one(c.nats.streamMessages),
  one(c.nats.rpcCalls),
];

export function machineLine(r: BenchResults): string {
  const b = r.machine.busyness;
  if (!b) return `Load average at start: ${r.machine.loadAverageAtStart.join(" / ")}.`;
  return (
    `How busy the machine was: load average ${b.loadAverageAtStart.join(" / ")} at the start, ${b.loadAverageAtEnd.join(" / ")} at the end; ` +
    `over the ${b.seconds} s of the run the CPUs were ${n(b.busyPercent)} % busy of ${n(b.capacityPercent)} % (% of one core): ` +
    `this run's processes ${n(b.baedalPercent)} %, Postgres ${n(b.postgresPercent)} %, NATS ${n(b.natsPercent)} % (both shared with other users), ` +
    `**everything else ${n(b.othersPercent)} %** (${n(b.nonBaedalCpuSeconds)} CPU s outside this run's own processes, Postgres and NATS included).`
  );
}

/** The tables the README shows. */
export function costTables(r: BenchResults): string {
  const out: string[] = [];
  const levels = r.load.filter((l) => l.lifecycle.cost);
  if (levels.length) {
    out.push(
      "**What one order costs** (per delivered order over a full lifecycle, from the phase's start until the system is quiet again; " +
        "net of the idle background, gross in brackets; Postgres and NATS serve other users too)\n",
    );
    out.push(
      table(
        ["clients", "lifecycles/s", ...costHead],
        [
          ...levels.map((l) => [
            l.clients,
            one(l.lifecycle.deliveredPerSecond),
            ...costCells(l.lifecycle.cost),
          ]),
          ...(r.stepProbe ? [["steps in isolation, added up", "", ...costCells(r.stepProbe.lifecycle)]] : []),
        ],
      ),
    );
  }
  const f = r.footprint;
  if (f) {
    out.push("\n**Bring-up and the idle system** (ten context processes)\n");
    const names = Object.keys(f.startedInMs);
    out.push(
      table(
        ["process", "spawn → healthy, all at once", "alone", "idle RSS", "idle CPU"],
        [
          ...names.map((p) => [
            p,
            `${n(f.startedInMs[p]!)} ms`,
            p in f.aloneStartMs ? `${n(f.aloneStartMs[p]!)} ms` : "",
            `${one(f.memory[p]?.rssMiB ?? Number.NaN)} MiB${(f.memory[p]?.children ?? []).map((c) => ` + ${c.command} ${one(c.rssMiB)} MiB`).join("")}`,
            `${one(f.idle.cpuPercent[p] ?? Number.NaN)} %`,
          ]),
          [
            "**ten together**",
            `max ${n(f.maxStartMs)} ms`,
            Number.isFinite(f.maxAloneStartMs) ? `max ${n(f.maxAloneStartMs)} ms` : "",
            `${one(f.totalRssMiB)} MiB`,
            `${one(f.idle.baedalCpuPercent)} %`,
          ],
        ],
      ),
    );
    out.push(
      `\nWhile nothing happens (${f.idle.seconds} s after bring-up): **${one(f.idle.pgTransactionsPerSecond)} Postgres transactions/s**, ` +
        `${one(f.idle.transactionsPerSecond)} transactions/s and ${one(f.idle.statementsPerSecond)} SQL statements/s as the pools count them, ` +
        `${one(f.idle.natsMessagesPerSecond)} NATS messages/s. ` +
        `Spawn → healthy is polled every 100 ms; "alone" restarts one process while the others idle. CPU is % of one core.`,
    );
  }
  const a = r.allInOne;
  if (a) {
    out.push("\n**One process (`main.ts all`) beside ten** (the same full-lifecycle load)\n");
    out.push(
      table(
        [
          "clients",
          "lifecycles/s: ten / one",
          "CPU ms per lifecycle: ten / one",
          "event→screen p99 ms: ten / one",
          "SQL statements: ten / one",
          "errors (one)",
        ],
        a.levels.map(({ clients, lifecycle: one_ }) => {
          const split = r.load.find((l) => l.clients === clients)?.lifecycle;
          const both = (f: (l: NonNullable<typeof split>) => string) =>
            `${split ? f(split) : "–"} / ${f(one_)}`;
          return [
            clients,
            both((l) => one(l.deliveredPerSecond)),
            both((l) => one(l.cost.cpuMs.baedal)),
            both((l) => lat(l.eventToScreen, ["p99"])),
            both((l) => one(l.cost.statements.total)),
            errors(one_.errors),
          ];
        }),
      ),
    );
    out.push(
      `\nOne process: healthy ${n(a.startedInMs)} ms after spawn` +
        (f ? ` (ten: the slowest after ${n(f.maxStartMs)} ms all at once)` : "") +
        `, ${one(a.totalRssMiB)} MiB RSS idle` +
        (f ? ` (ten: ${one(f.totalRssMiB)} MiB)` : "") +
        `, ${one(a.idle.pgTransactionsPerSecond)} Postgres transactions/s idle` +
        (f ? ` (ten: ${one(f.idle.pgTransactionsPerSecond)})` : "") +
        `, ${one(a.idle.baedalCpuPercent)} % CPU idle` +
        (f ? ` (ten: ${one(f.idle.baedalCpuPercent)} %)` : "") +
        ".",
    );
  }
  return out.join("\n");
}

function byKeyTable(
  label: string,
  items: { label: string | number; values: Record<string, number> }[],
): string {
  const keys = [...new Set(items.flatMap((i) => Object.keys(i.values)))];
  return table(
    [label, ...keys, "total"],
    items.map((i) => [
      i.label,
      ...keys.map((k) => (k in i.values ? one(i.values[k]!) : "")),
      one(Object.values(i.values).reduce((s, v) => s + v, 0)),
    ]),
  );
}

/** The detail the results file adds: per process, per context, per step. */
export function costDetails(r: BenchResults): string {
  const out: string[] = [];
  const levels = [
    ...r.load.filter((l) => l.lifecycle.cost).map((l) => ({ label: l.clients, c: l.lifecycle.cost })),
    ...(r.allInOne?.levels ?? []).map((l) => ({ label: `${l.clients} (one process)`, c: l.lifecycle.cost })),
  ];
  if (levels.length) {
    out.push("## What one full lifecycle costs, by process and by context", "");
    out.push("CPU ms per delivered lifecycle, each process with its children:", "");
    out.push(
      byKeyTable(
        "clients",
        levels.map((l) => ({ label: l.label, values: l.c.cpuMs.byProcess })),
      ),
      "",
    );
    out.push("SQL statements per lifecycle, by context (counted on each context's pg pool):", "");
    out.push(
      byKeyTable(
        "clients",
        levels.map((l) => ({ label: l.label, values: l.c.statements.byContext })),
      ),
      "",
    );
    out.push(
      table(
        [
          "clients",
          "events published / handled",
          "Postgres rollbacks",
          "background share: CPU / statements / Postgres tx / NATS msgs",
        ],
        levels.map((l) => [
          l.label,
          `${one(l.c.nats.eventsPublished)} / ${one(l.c.nats.eventsHandled)}`,
          one(l.c.pg.rollbacks),
          [
            l.c.backgroundShare.cpu,
            l.c.backgroundShare.statements,
            l.c.backgroundShare.pgTransactions,
            l.c.backgroundShare.natsMessages,
          ]
            .map(share)
            .join(" / "),
        ]),
      ),
      "",
      "The background share is the part of each gross count that was the idle system's (subtracted): where it is high the figure is a rough estimate.",
      "",
    );
  }
  const p = r.stepProbe;
  if (p) {
    out.push(
      `## What each step costs (${p.orders} orders driven one step at a time, ${p.concurrency} at once; per order)`,
      "",
      `Each step's window runs until the system is quiet again (every consequence handled); Postgres' counters are read ${p.settleSeconds} s later, ` +
        `when its backends have reported. The idle background (measured over ${p.idleSeconds} s just before) is subtracted. Errors: ${errors(p.errors)}.`,
      "",
    );
    out.push(
      table(
        ["step", "orders", "wall s", ...costHead, "background share (CPU / Postgres tx)"],
        [
          ...p.steps.map((s) => [
            s.step,
            s.orders,
            one(s.wallSeconds),
            ...costCells(s.cost),
            `${share(s.cost.backgroundShare.cpu)} / ${share(s.cost.backgroundShare.pgTransactions)}`,
          ]),
          ["**added up**", p.lifecycle.units, "", ...costCells(p.lifecycle), ""],
        ],
      ),
      "",
    );
    out.push("CPU ms per order and step, by process:", "");
    out.push(
      byKeyTable(
        "step",
        p.steps.map((s) => ({ label: s.step, values: s.cost.cpuMs.byProcess })),
      ),
      "",
    );
    out.push("SQL statements per order and step, by context:", "");
    out.push(
      byKeyTable(
        "step",
        p.steps.map((s) => ({ label: s.step, values: s.cost.statements.byContext })),
      ),
      "",
    );
  }
  return out.join("\n");
}
