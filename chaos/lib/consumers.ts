/**
 * Which consumer handles which event types, read from the contexts' own handler registrations
 * (not a copy that could drift): every `register…` function of each context's handlers module
 * (@baedal/api/testing's handlerModules) is called with a runtime that only records the
 * `rt.consume(...)` specs it is given.
 */
import { contextSchemas, handlerModules, type ContextName } from "@baedal/api/testing";

export interface ConsumerInfo {
  /** Durable name, also the `consumer` column of processed_event / dead_letter. */
  name: string;
  context: ContextName;
  schema: string;
  source: string;
  types: string[];
}

/** Anything a register function might touch at registration time answers with a no-op. */
function recorder(
  onConsume: (spec: { name: string; source: string; handlers: Record<string, unknown> }) => void,
) {
  const noop: unknown = new Proxy(() => noop, {
    get: (_t, p) => (p === "then" ? undefined : noop),
    apply: () => noop,
  });
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, p) =>
      p === "consume" ? (spec: never) => (onConsume(spec), noop) : p === "then" ? undefined : noop,
  });
}

export async function consumerMap(): Promise<ConsumerInfo[]> {
  const out: ConsumerInfo[] = [];
  const modules = await handlerModules();
  for (const [context, schema] of Object.entries(contextSchemas) as [ContextName, string][]) {
    const mod = modules[context];
    if (!mod) continue; // a context without consumers
    for (const [name, fn] of Object.entries(mod)) {
      if (!/^register/.test(name) || typeof fn !== "function") continue;
      const rt = recorder((spec) =>
        out.push({
          name: spec.name,
          context,
          schema,
          source: spec.source,
          types: Object.keys(spec.handlers),
        }),
      );
      fn(
        rt,
        recorder(() => undefined),
        recorder(() => undefined),
      );
    }
  }
  return out;
}
