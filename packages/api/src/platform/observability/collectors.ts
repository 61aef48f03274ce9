import type pg from "pg";
import { quoteIdent, rpcClients } from "@baedal/events";
import {
  breakerState,
  consumerBound,
  consumerPending,
  deadLetters,
  outboxBacklog,
  outboxOldestAge,
  registry,
} from "./metrics.js";

/** What the gauges read from one context running in this process. */
export interface ObservedContext {
  name: string;
  schema: string;
  pool: pg.Pool;
  relay: { backlog(): Promise<{ count: number; oldestAgeMs: number }> };
  consumers: readonly { name: string; bound: boolean; pending(): Promise<number> }[];
}

const breakerLevels = { closed: 0, "half-open": 1, open: 2, isolated: 3 } as const;

/** Rejects when `p` takes longer than `ms`: a probe of a dead dependency must not hang a scrape. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The gauges polled from the running contexts, refreshed on every scrape: JetStream consumer
 * info (pending), outbox backlog, unresolved dead letters, breaker states. A probe that fails
 * or times out leaves its gauge at the last value it read.
 */
export class RuntimeGauges {
  constructor(
    private readonly contexts: readonly ObservedContext[],
    private readonly probeTimeoutMs = 2_000,
  ) {}

  /** The Prometheus text exposition, gauges refreshed first. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await this.refresh();
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  async refresh(): Promise<void> {
    const worst = new Map<string, number>();
    for (const c of rpcClients)
      worst.set(c.service, Math.max(worst.get(c.service) ?? 0, breakerLevels[c.state]));
    for (const [service, level] of worst) breakerState.set({ service }, level);
    await Promise.all(this.contexts.map((ctx) => this.refreshContext(ctx)));
  }

  private async refreshContext(ctx: ObservedContext): Promise<void> {
    const probe = <T>(what: string, p: () => Promise<T>, use: (v: T) => void) =>
      within(this.probeTimeoutMs, what, p()).then(use, () => undefined);
    await Promise.all([
      probe(
        "outbox backlog",
        () => ctx.relay.backlog(),
        (b) => {
          outboxBacklog.set({ context: ctx.name }, b.count);
          outboxOldestAge.set({ context: ctx.name }, b.oldestAgeMs / 1000);
        },
      ),
      probe(
        "dead letters",
        () => unresolvedDeadLetters(ctx),
        (counts) => {
          for (const c of ctx.consumers)
            deadLetters.set({ context: ctx.name, consumer: c.name }, counts.get(c.name) ?? 0);
          for (const [consumer, n] of counts) deadLetters.set({ context: ctx.name, consumer }, n);
        },
      ),
      ...ctx.consumers.map(async (c) => {
        const labels = { context: ctx.name, consumer: c.name };
        // Bound = pulling here and still present on JetStream (its info answers), as /readyz says.
        const present = await within(this.probeTimeoutMs, c.name, c.pending()).then(
          (n) => {
            consumerPending.set(labels, n);
            return true;
          },
          () => false,
        );
        consumerBound.set(labels, c.bound && present ? 1 : 0);
      }),
    ]);
  }
}

async function unresolvedDeadLetters(ctx: ObservedContext): Promise<Map<string, number>> {
  const { rows } = await ctx.pool.query<{ consumer: string; n: number }>(
    `SELECT consumer, count(*)::int AS n FROM ${quoteIdent(ctx.schema)}.dead_letter
      WHERE resolved_at IS NULL GROUP BY consumer`,
  );
  return new Map(rows.map((r) => [r.consumer, r.n]));
}
