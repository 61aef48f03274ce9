/**
 * The work counters of one Baedal process, read from its /metrics: SQL statements and
 * transactions per context (counted on each context's pg pool), the outbox relay's empty polls,
 * NATS messages of its connection,
 * request/reply calls and events published and handled. Summed over label values the bench does
 * not need (event type, RPC method, outcome).
 */
export interface WorkCounters {
  statements: Record<string, number>;
  transactions: Record<string, number>;
  /** Outbox relay passes that found nothing, per context. */
  emptyPolls: Record<string, number>;
  natsSent: number;
  natsReceived: number;
  rpcCalls: number;
  eventsPublished: number;
  eventsHandled: number;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

export async function scrapeWork(url: string, token: string): Promise<WorkCounters> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}/metrics answered ${res.status}`);
  const samples = parse(await res.text());
  const sum = (name: string, where: (s: Sample) => boolean = () => true) =>
    samples.filter((s) => s.name === name && where(s)).reduce((a, s) => a + s.value, 0);
  const byContext = (name: string, where: (s: Sample) => boolean = () => true) => {
    const out: Record<string, number> = {};
    for (const s of samples.filter((x) => x.name === name && where(x)))
      out[s.labels.context!] = (out[s.labels.context!] ?? 0) + s.value;
    return out;
  };
  return {
    statements: byContext("baedal_db_statements_total"),
    transactions: byContext("baedal_db_transactions_total"),
    emptyPolls: byContext("baedal_outbox_polls_total", (s) => s.labels.result === "empty"),
    natsSent: sum("baedal_nats_messages_total", (s) => s.labels.direction === "out"),
    natsReceived: sum("baedal_nats_messages_total", (s) => s.labels.direction === "in"),
    rpcCalls: sum("baedal_rpc_calls_total"),
    eventsPublished: sum("baedal_events_published_total"),
    eventsHandled: sum("baedal_events_handled_total"),
  };
}
