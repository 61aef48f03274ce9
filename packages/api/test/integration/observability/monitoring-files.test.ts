import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parser } from "@prometheus-io/lezer-promql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { TestEnv } from "../harness.js";
import { scrape, seriesNames } from "./support.js";

/**
 * infra/monitoring must only use metrics the code exports: every metric selected by an alert
 * rule or a dashboard query is looked up in the /metrics output of a running process.
 */
const monitoring = join(dirname(fileURLToPath(import.meta.url)), "../../../../../infra/monitoring");

/** Series Prometheus writes itself, not the scraped process. */
const writtenByPrometheus = new Set(["up"]);

/** The metric names a PromQL expression selects; throws on a syntax error. */
function metricsIn(expr: string): string[] {
  const names: string[] = [];
  let errorAt: number | null = null;
  parser.parse(expr).iterate({
    enter(n) {
      if (n.type.isError) errorAt ??= n.from;
      if (n.name === "Identifier" && n.node.parent?.name === "VectorSelector")
        names.push(expr.slice(n.from, n.to));
    },
  });
  if (errorAt !== null) throw new Error(`PromQL syntax error at ${errorAt}: ${expr}`);
  return names;
}

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const alertRules = (): Rule[] => {
  const file = parseYaml(readFileSync(join(monitoring, "prometheus/alerts.yml"), "utf8")) as {
    groups: { name: string; rules: Rule[] }[];
  };
  return file.groups.flatMap((g) => g.rules);
};

/** Every query of the dashboard: panel targets (rows nest panels) and template variables. */
function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(join(monitoring, "grafana/baedal-overview.json"), "utf8"));
  const exprs: string[] = [];
  const walk = (panels: any[] = []) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) exprs.push(t.expr);
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  for (const v of dashboard.templating?.list ?? []) {
    const q = typeof v.query === "string" ? v.query : v.query?.query;
    if (v.type !== "query" || !q) continue;
    // label_values(<metric>, <label>) is Grafana's, not PromQL: its metric is what matters.
    const m = /^label_values\(\s*([^,]+?)\s*,\s*\w+\s*\)$/.exec(q);
    exprs.push(m ? m[1]! : q);
  }
  // Grafana's interval variables stand for a duration.
  return exprs.map((e) => e.replaceAll(/\$__(rate_interval|interval|range)/g, "5m"));
}

describe("infra/monitoring: alert rules and dashboard use exported metrics", () => {
  const env = new TestEnv();
  let exported: Set<string>;

  beforeAll(async () => {
    await env.setup();
    const p = await env.start("order");
    exported = seriesNames((await scrape(p)).families);
  }, 120_000);
  afterAll(() => env.teardown());

  it("the checker finds the metrics of an expression and rejects a broken one", () => {
    expect(
      metricsIn(
        'sum by (context) (rate(baedal_events_failed_total{context=~"a|b"}[5m])) / on() group_left up > 0',
      ),
    ).toEqual(["baedal_events_failed_total", "up"]);
    expect(() => metricsIn("sum(rate(baedal_events_failed_total[5m]")).toThrow(/syntax/);
    expect(exported.has("baedal_no_such_metric")).toBe(false);
  });

  it("the process exports the families the brief asks for", () => {
    for (const name of [
      "baedal_http_request_duration_seconds_bucket",
      "baedal_events_published_total",
      "baedal_events_handled_total",
      "baedal_events_failed_total",
      "baedal_events_parked_total",
      "baedal_consumer_pending_messages",
      "baedal_outbox_backlog_events",
      "baedal_outbox_oldest_age_seconds",
      "baedal_dead_letters",
      "baedal_rpc_breaker_state",
    ]) {
      expect(exported, name).toContain(name);
    }
  });

  it("every alert rule is valid PromQL over exported metrics, with a severity and a summary", () => {
    const rules = alertRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      const unknown = metricsIn(r.expr).filter((m) => !exported.has(m) && !writtenByPrometheus.has(m));
      expect(unknown, `${r.alert}: ${r.expr}`).toEqual([]);
      expect(r.alert, r.expr).toMatch(/^Baedal[A-Za-z]+$/);
      expect(["page", "ticket"], `${r.alert} severity`).toContain(r.labels?.severity);
      expect(r.annotations?.summary, `${r.alert} summary`).toBeTruthy();
    }
  });

  it("the alerts the runbook needs exist: breaker open, consumer lag, dead letters, outbox too old", () => {
    const used = new Set(alertRules().flatMap((r) => metricsIn(r.expr)));
    for (const m of [
      "baedal_rpc_breaker_state",
      "baedal_consumer_pending_messages",
      "baedal_dead_letters",
      "baedal_outbox_oldest_age_seconds",
    ]) {
      expect(used, m).toContain(m);
    }
  });

  it("every dashboard query is valid PromQL over exported metrics", () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries) {
      const metrics = metricsIn(q);
      expect(metrics.length, q).toBeGreaterThan(0);
      expect(
        metrics.filter((m) => !exported.has(m) && !writtenByPrometheus.has(m)),
        q,
      ).toEqual([]);
    }
  });
});
