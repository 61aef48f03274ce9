/** The results as Markdown: the tables the README shows, and the profile summary. */
import { comparisonSection } from "./compare.js";
import { costDetails, costTables, machineLine } from "./cost.js";
import { errors, lat, ms, n, pct, table, x } from "./format.js";
import type { BenchResults } from "./results.js";

function targets(r: BenchResults): string {
  const at32 = r.ratios.levels.find((l) => l.clients === 32) ?? r.ratios.levels.at(-1);
  const e2s = r.ratios.levels.filter((l) => Number.isFinite(l.eventToScreenP99OverJsP99));
  const bestE2s = e2s.length ? Math.min(...e2s.map((l) => l.eventToScreenP99OverJsP99)) : Number.NaN;
  const worstE2s = e2s.length ? Math.max(...e2s.map((l) => l.eventToScreenP99OverJsP99)) : Number.NaN;
  const share = Math.max(
    ...r.ratios.levels.map((l) => (Number.isFinite(l.lifecycleShareOfPgTps) ? l.lifecycleShareOfPgTps : 0)),
  );
  const mem = r.ratios.fanout.length
    ? Math.max(...r.ratios.fanout.map((f) => f.rssKiBPerConnection))
    : Number.NaN;
  const heap = r.ratios.fanout.length
    ? Math.max(...r.ratios.fanout.map((f) => f.heapKiBPerConnection))
    : Number.NaN;
  const verdict = (ok: boolean | null) => (ok === null ? "n/a" : ok ? "met" : "**not met**");
  return table(
    ["target", "measured", ""],
    [
      [
        "place-order p99 ≤ 5× raw Postgres insert p99, at 32 clients",
        at32 ? `${x(at32.placeP99OverPgInsertP99)} (at ${at32.clients} clients)` : "n/a",
        verdict(at32 ? at32.placeP99OverPgInsertP99 <= 5 : null),
      ],
      [
        "event-to-screen p99 ≤ 10× raw NATS round trip (JetStream pub→consume p99)",
        `${x(bestE2s)} at best, ${x(worstE2s)} at worst`,
        verdict(Number.isFinite(bestE2s) ? bestE2s <= 10 : null),
      ],
      [
        "lifecycle throughput uses ≥ ½ of the raw Postgres transaction rate",
        pct(share),
        verdict(share >= 0.5),
      ],
      [
        "< 20 KiB server memory per idle SSE subscriber",
        `${n(mem, 1)} KiB RSS (${n(heap, 1)} KiB heap)`,
        verdict(Number.isFinite(mem) ? mem < 20 : null),
      ],
    ],
  );
}

export function resultsTables(r: BenchResults): string {
  const b = r.baselines;
  const pg32 = b.postgres.levels.find((l) => l.connections === 32);
  const out: string[] = [];
  out.push(
    `Run of ${r.startedAt.slice(0, 16).replace("T", " ")} UTC, ${r.durationSeconds} s, ${r.machine.cpus} × ${r.machine.cpuModel}, ` +
      `Node ${r.machine.node}${r.machine.contextNode && r.machine.contextNode !== r.machine.node ? ` (context processes: Node ${r.machine.contextNode})` : ""}, commit \`${r.git.commit.slice(0, 8)}\`${r.git.dirty ? " + uncommitted changes" : ""}. ` +
      machineLine(r),
  );
  out.push(
    "\n**The machine's limits** (measured in the same run before the context processes started, raw clients only)\n",
  );
  out.push(
    table(
      ["raw figure", "value"],
      [
        [
          "NATS JetStream async publish",
          `${n(b.nats.jsPublish.perSecond)} msg/s (${b.nats.jsPublish.payloadBytes} B, ${b.nats.jsPublish.window} in flight)`,
        ],
        ["NATS core pub→sub p50 / p95 / p99", `${lat(b.nats.corePubSub)} ms`],
        [
          "NATS JetStream pub→consume (durable pull, explicit ack) p50 / p95 / p99",
          `${lat(b.nats.jsPubConsume)} ms`,
        ],
        ...b.postgres.levels.map((l) => [
          `Postgres single-row INSERT, ${l.connections} connection(s)`,
          `${n(l.perSecond)} tx/s, p50 / p95 / p99 ${lat(l.latency)} ms`,
        ]),
        ...b.http.levels.map((l) => [
          `bare Node HTTP server, ${l.clients} clients`,
          `${n(l.perSecond)} req/s, p99 ${ms(l.latency.p99)} ms`,
        ]),
      ],
    ),
  );
  if (b.prisma?.length) {
    out.push(
      "\n**What one SQL statement costs the calling process** (one connection; client-side CPU only)\n",
    );
    out.push(
      table(
        ["statement", "CPU µs", "wall µs"],
        b.prisma.map((c) => [c.statement, n(c.cpuMicros), n(c.wallMicros)]),
      ),
    );
  }
  out.push(
    "\n**Ordering throughput** (closed loop over the tRPC HTTP API; ratios against the raw figures above)\n",
  );
  out.push(
    table(
      [
        "clients",
        "placed/s",
        "place-order p50 / p95 / p99 ms",
        "p99 ÷ PG insert p99",
        "req/s ÷ bare HTTP",
        "lifecycles/s",
        "tx (rows written) / lifecycle",
        "lifecycles/s × tx ÷ PG tx/s",
        "event→screen p50 / p99 ms",
        "p99 ÷ NATS JS p99",
        "errors",
      ],
      r.load.map((l, i) => {
        const q = r.ratios.levels[i]!;
        return [
          l.clients,
          n(l.placeOnly.perSecond, 1),
          lat(l.placeOnly.latency),
          `${x(q.placeP99OverPgInsertP99)} (x${q.pgInsertConnections})`,
          pct(q.placeRpsOverBareHttpRps),
          n(l.lifecycle.deliveredPerSecond, 1),
          `${n(l.lifecycle.transactions.perLifecycle, 1)} (${n(l.lifecycle.transactions.rowsWrittenPerLifecycle, 0)})`,
          pct(q.lifecycleShareOfPgTps),
          lat(l.lifecycle.eventToScreen, ["p50", "p99"]),
          x(q.eventToScreenP99OverJsP99),
          errors({
            total: l.placeOnly.errors.total + l.lifecycle.errors.total,
            byKind: { ...l.placeOnly.errors.byKind, ...l.lifecycle.errors.byKind },
          }),
        ];
      }),
    ),
  );
  out.push(
    `\nplaced/s and place-order latency come from the placing-only phase; lifecycles/s, event→screen and transactions from the full-lifecycle phase ` +
      `(place → accept → cook → ready → call rider → rider accepts → picked up → delivered, each step awaited on the customer's My page stream). ` +
      `Place-order latency under the full lifecycle: ${r.load.map((l) => `${l.clients}: p99 ${ms(l.lifecycle.placeLatency.p99)} ms`).join(", ")}. ` +
      `Transactions per lifecycle (pg_stat_database, read ${r.config.pgSettleSeconds ?? 0} s after the phase, once Postgres' backends have reported) are net of the driver's reads and of the idle system's background ` +
      `(the outbox relays' empty polls as counted, other timers at their idle rate), n/a where that background was half the count or more; rows written (inserted, updated, deleted over all contexts) have no such noise. ` +
      `the ratio uses the figure of the level with the most lifecycles (${n(r.ratios.transactionsPerLifecycle.value, 1)} tx at ${r.ratios.transactionsPerLifecycle.fromClients} clients), where that estimate weighs least. ` +
      `Raw Postgres rate used: ${n(r.baselines.postgres.maxPerSecond)} tx/s (the best level).` +
      (pg32 ? ` Raw Postgres insert p99 at 32 connections: ${ms(pg32.latency.p99)} ms.` : ""),
  );
  const cost = costTables(r);
  if (cost) out.push(`\n${cost}`);
  if (r.fanout.length) {
    out.push(
      "\n**Live fan-out** (concurrent `mypage.live` SSE streams on one mypage process, each customer following their own order)\n",
    );
    out.push(
      table(
        [
          "streams",
          "heap / stream",
          "RSS / stream",
          "mypage idle CPU",
          "delivery p50 / p99 ms",
          "p99 ÷ NATS JS p99",
          "orders",
          "errors",
        ],
        r.fanout.map((f, i) => [
          n(f.subscribers),
          `${n(f.memory.heapPerConnectionKiB, 1)} KiB`,
          `${n(f.memory.rssPerConnectionKiB, 1)} KiB`,
          `${n(f.idleCpuPercent, 1)} %`,
          lat(f.delivery.eventToScreen, ["p50", "p99"]),
          x(r.ratios.fanout[i]!.deliveryP99OverJsP99),
          f.delivery.orders === f.delivery.wanted
            ? n(f.delivery.orders)
            : `${n(f.delivery.orders)} of ${n(f.delivery.wanted)}`,
          errors({
            total: f.delivery.errors.total + f.connectErrors,
            byKind: {
              ...f.delivery.errors.byKind,
              ...(f.connectErrors ? { "stream did not open": f.connectErrors } : {}),
            },
          }),
        ]),
      ),
    );
  }
  out.push("\n**Targets** (measured, not asserted)\n");
  out.push(targets(r));
  return out.join("\n");
}

function cpuTable(r: BenchResults): string {
  const names = [...new Set(r.load.flatMap((l) => Object.keys(l.lifecycle.cpu)))].filter(
    (k) => k !== "machineCapacity",
  );
  return table(
    ["clients", ...names],
    r.load.map((l) => [
      l.clients,
      ...names.map((k) => (k in l.lifecycle.cpu ? `${l.lifecycle.cpu[k]} %` : "")),
    ]),
  );
}

export function resultsMarkdown(r: BenchResults, previous: { file: string; data: unknown } | null): string {
  const out = [
    `# Baedal bench — ${r.startedAt.slice(0, 10)}`,
    "",
    resultsTables(r),
    "",
    "![latency and throughput](./" + r.startedAt.slice(0, 10) + ".svg)",
    "",
  ];
  out.push(
    "## Where the CPU goes during full lifecycles (% of one core; the machine has " +
      `${r.machine.cpus} cores)`,
    "",
  );
  out.push(cpuTable(r), "");
  out.push("Postgres and NATS also serve anyone else on this machine: their figures are upper bounds.", "");
  out.push(costDetails(r));
  if (r.profile) {
    const p = r.profile;
    const one = p.single;
    const many = p.spans;
    out.push(`## Where place-order time goes (placing only; server side, in the order process)`, "");
    out.push(
      `Alone (1 client, ${one.requests} requests): server time p50 / p95 / p99 ${lat(one.serverTime)} ms, ` +
        `${one.queriesPerRequest} SQL statements and ${one.transactionsPerRequest} transactions per request. ` +
        `Under load (${p.clients} clients, ${many.requests} requests${many.failedRequests ? `, ${many.failedRequests} refused ones left out` : ""}): ` +
        `${lat(many.serverTime)} ms. Every instant of a request is given to the most specific span active then ` +
        `(payment call > SQL statement > pool wait > transaction > saga > request), so the parts add up to the server time. ` +
        `Under load a part of the statements runs outside the request's async context (Prisma batches reads of concurrent ` +
        `requests) and counts as saga time instead.`,
      "",
    );
    const parts = [...new Set([...one.parts.map((x) => x.part), ...many.parts.map((x) => x.part)])];
    const of = (b: typeof one, part: string) => b.parts.find((x) => x.part === part);
    out.push(
      table(
        ["part", "1 client: ms / request", "share", `${p.clients} clients: ms / request`, "share"],
        parts.map((part) => [
          part,
          ms(of(one, part)?.meanMs ?? 0),
          `${n(of(one, part)?.percent ?? 0, 1)} %`,
          ms(of(many, part)?.meanMs ?? 0),
          `${n(of(many, part)?.percent ?? 0, 1)} %`,
        ]),
      ),
      "",
    );
    for (const [name, cpu] of Object.entries(p.cpu)) {
      if (!cpu) continue;
      out.push(
        `CPU of the ${name} process during the window (${n(cpu.busyMs)} ms busy of ${n(cpu.wallMs)} ms):`,
        "",
      );
      out.push(
        table(
          ["where", "CPU ms", "share"],
          cpu.byGroup.slice(0, 10).map((g) => [g.group, n(g.ms), `${n(g.percent, 1)} %`]),
        ),
        "",
      );
      out.push(
        table(
          ["hottest functions", "where", "share"],
          cpu.hottest.slice(0, 8).map((f) => [`\`${f.fn}\``, f.where, `${n(f.percent, 1)} %`]),
        ),
        "",
      );
    }
  }
  if (r.notes.length) out.push("## Notes", "", ...r.notes.map((s) => `- ${s}`), "");
  out.push(comparisonSection(r, previous));
  return out.join("\n");
}
