import { rpcClients, type Messaging } from "@baedal/events";
import { within, type ObservedContext } from "./collectors.js";

type ReadyContext = Omit<ObservedContext, "consumers"> & {
  consumers: readonly {
    name: string;
    bound: boolean;
    pending(): Promise<number>;
    handled: number;
    duplicates: number;
    failed: number;
  }[];
};

export interface ReadinessInput {
  nc: Messaging["nc"];
  contexts: readonly ReadyContext[];
  draining: boolean;
  probeTimeoutMs?: number;
}

/**
 * /readyz: ready when the process is not draining, NATS answers a round trip, every context's
 * database answers, and every consumer is bound — pulling in this process and present on the
 * JetStream server (its consumer info answers, with the pending count).
 */
export async function checkReadiness(
  input: ReadinessInput,
): Promise<{ ok: boolean; detail: Record<string, unknown> }> {
  const ms = input.probeTimeoutMs ?? 2_000;
  const answers = (what: string, p: () => Promise<unknown>) =>
    within(ms, what, p()).then(
      () => true,
      () => false,
    );
  const nats = !input.nc.isClosed() && (await answers("nats", () => input.nc.flush()));
  const detail: Record<string, unknown> = {
    draining: input.draining,
    nats,
    breakers: Object.fromEntries([...rpcClients].map((c) => [c.service, c.state])),
  };
  let ok = nats && !input.draining;
  await Promise.all(
    input.contexts.map(async (ctx) => {
      const database = await answers("database", () => ctx.pool.query("SELECT 1"));
      const consumers = await Promise.all(
        ctx.consumers.map(async (c) => {
          const pending = c.bound ? await within(ms, c.name, c.pending()).catch(() => null) : null;
          const bound = c.bound && pending !== null;
          return [c.name, { bound, pending, handled: c.handled, duplicates: c.duplicates, failed: c.failed }] as const;
        }),
      );
      if (!database || consumers.some(([, c]) => !c.bound)) ok = false;
      detail[ctx.name] = { database, consumers: Object.fromEntries(consumers) };
    }),
  );
  return { ok, detail };
}
