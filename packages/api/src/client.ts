import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  type OperationLink,
  type TRPCLink,
} from "@trpc/client";
import type { AppRouter } from "./router.js";

export interface BaedalClientOptions {
  /** Base URL of the process serving a context (the same for every context in development). */
  urlFor: (context: string) => string;
  /** Extra headers (e.g. Authorization) for queries, mutations and the SSE stream. */
  headers?: () => Record<string, string>;
  /** An EventSource implementation for runtimes without one (Node). */
  EventSource?: typeof globalThis.EventSource;
  /** A fetch for queries and mutations (default: the global one), e.g. a cheaper one for load tests. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A terminating link that sends each call to its context's process (`order.place` → the order
 * process), batching calls to the same process and streaming subscriptions over SSE.
 */
export function contextRoutingLink(opts: BaedalClientOptions): TRPCLink<AppRouter> {
  return (runtime) => {
    const links = new Map<string, OperationLink<AppRouter>>();
    const linkFor = (context: string, subscription: boolean) => {
      const key = `${context}:${subscription ? "sse" : "http"}`;
      let link = links.get(key);
      if (!link) {
        const url = `${opts.urlFor(context)}/trpc`;
        link = subscription
          ? httpSubscriptionLink({
              url,
              ...(opts.EventSource ? { EventSource: opts.EventSource } : {}),
              eventSourceOptions: () => {
                const headers = opts.headers?.() ?? {};
                return {
                  fetch: (input: string | URL, init?: RequestInit) =>
                    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
                } as never;
              },
            })(runtime)
          : httpBatchLink<AppRouter>({
              url,
              headers: () => opts.headers?.() ?? {},
              ...(opts.fetch ? { fetch: opts.fetch } : {}),
            })(runtime);
        links.set(key, link);
      }
      return link;
    };
    return ({ op, next }) => linkFor(op.path.split(".")[0]!, op.type === "subscription")({ op, next });
  };
}

export function createBaedalClient(opts: BaedalClientOptions) {
  return createTRPCClient<AppRouter>({ links: [contextRoutingLink(opts)] });
}
export type BaedalClient = ReturnType<typeof createBaedalClient>;
export type { AppRouter };
