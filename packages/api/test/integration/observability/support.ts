/** Helpers the observability suites share: reading a process's JSON logs and its /metrics. */
import { randomBytes } from "node:crypto";
import { createBaedalClient, type BaedalClient } from "../../../src/client.js";
import type { Actor } from "../../../src/platform/auth.js";
import { issueToken } from "../../../testing/issue-token.js";
import { metricsAuth, type ContextProcess, type TestEnv } from "../harness.js";

/** Every JSON line a process wrote so far (pino logs and, with BAEDAL_TRACE_EXPORT=log, spans). */
export function jsonLines(p: ContextProcess): Record<string, any>[] {
  return p.output
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, any>];
      } catch {
        return [];
      }
    });
}

export interface SpanLine {
  name: string;
  kind: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  status: string;
  attributes: Record<string, unknown>;
}

export const spansOf = (p: ContextProcess): SpanLine[] =>
  jsonLines(p)
    .filter((l) => l.msg === "span")
    .map((l) => l.span as SpanLine);

/** A W3C traceparent with fresh ids, as an upstream service (or a browser agent) would send. */
export function newTraceparent() {
  const traceId = randomBytes(16).toString("hex");
  const parentSpanId = randomBytes(8).toString("hex");
  return { traceId, parentSpanId, header: `00-${traceId}-${parentSpanId}-01` };
}

/** A client acting as `actor` that sends extra headers (e.g. traceparent) with every call. */
export async function clientWithHeaders(
  env: TestEnv,
  actor: Actor,
  extra: Record<string, string>,
): Promise<BaedalClient> {
  const token = await issueToken(env.env().AUTH_SECRET!, actor);
  return createBaedalClient({
    urlFor: env.urlFor,
    headers: () => ({ authorization: `Bearer ${token}`, ...extra }),
  });
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition: samples, and the metric families declared (# TYPE). */
function parseMetrics(text: string): { samples: Sample[]; families: Map<string, string> } {
  const samples: Sample[] = [];
  const families = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) families.set(type[1]!, type[2]!);
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, families };
}

/** The series names a scrape can contain: each family, and a histogram's/summary's derived series. */
export function seriesNames(families: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of families) {
    names.add(name);
    if (type === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(name + s);
    if (type === "summary") for (const s of ["_sum", "_count"]) names.add(name + s);
  }
  return names;
}

export async function scrape(p: ContextProcess) {
  const res = await fetch(`${p.url}/metrics`, { headers: metricsAuth });
  if (!res.ok) throw new Error(`/metrics of ${p.name} answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** The value of the one sample with this name and (at least) these labels; undefined when absent. */
export function valueOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

/** Why a tRPC call failed, as a client sees it: the HTTP status and reason, or none (no answer). */
export function failureOf(err: unknown): { status: number | null; reason: string | null } {
  const data = (err as { data?: { httpStatus?: number; reason?: string } | null }).data;
  return { status: data?.httpStatus ?? null, reason: data?.reason ?? null };
}

/**
 * Places an order as a patient client does: a 503 ("try again shortly": payment busy, process
 * draining) or no answer at all (process restarting) is retried with the same idempotency key.
 */
export async function placeWithRetry(
  api: BaedalClient,
  input: Parameters<BaedalClient["order"]["place"]["mutate"]>[0],
  opts: { deadlineMs?: number; onRetry?: (f: { status: number | null; reason: string | null }) => void } = {},
): Promise<{ orderId: string }> {
  const deadline = Date.now() + (opts.deadlineMs ?? 60_000);
  for (;;) {
    try {
      return await api.order.place.mutate(input);
    } catch (err) {
      const f = failureOf(err);
      if ((f.status !== 503 && f.status !== null) || Date.now() > deadline) throw err;
      opts.onRetry?.(f);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
