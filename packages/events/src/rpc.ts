import { eventsSetting } from "./config.js";
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  type BulkheadPolicy,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { errors as natsErrors, type Msg, type Subscription } from "@nats-io/transport-node";
import type { z } from "zod";
import { rpcSubject, type Messaging } from "./nats.js";
import {
  SpanKind,
  annotate,
  contextFromCarrier,
  failSpan,
  inSpan,
  messagingObserver,
  natsTraceHeaders,
  type RpcOutcome,
} from "./telemetry.js";

/**
 * Request/reply between contexts over NATS (queue group per service). A reply is either the
 * method's answer or a business refusal (`ok: false`, e.g. a declined card); only transport
 * failures and timeouts count against the circuit breaker.
 */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

export interface RpcMethod<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
}
export type RpcContract = Record<string, RpcMethod<z.ZodType, z.ZodType>>;

/** What a server knows of one request besides its input. */
export interface RpcCall {
  /**
   * When the caller stops waiting (epoch ms): its timeout, sent along with the request. A handler
   * that waits on something slow (a card gateway) answers before it, so that slowness is an
   * answer about this request rather than a timeout that counts against the caller's breaker.
   */
  deadline: number;
}

export type RpcHandlers<C extends RpcContract> = {
  [K in keyof C]: (
    input: z.infer<C[K]["input"]>,
    call: RpcCall,
  ) => Promise<RpcReply<z.infer<C[K]["output"]>>>;
};

/** Header carrying the caller's patience in milliseconds, counted from when the server takes it. */
const timeoutHeader = "Baedal-Timeout-Ms";
/**
 * Header carrying when the caller gives up (epoch ms). Hosts' clocks differ a little, so it only
 * catches requests that are clearly stale: ones that waited in a queue (a server frozen or
 * overloaded) until long after their caller stopped waiting.
 */
const deadlineHeader = "Baedal-Deadline";
/** Clock difference between hosts tolerated when judging a request stale. */
const clockSkewMs = 1_000;
/** A request without the headers (an older caller) gets this much. */
const defaultPatienceMs = 2_000;

/** When the caller of a request stops waiting, as far as this server can tell. */
function deadlineOf(msg: Msg): number {
  const patience = Number(msg.headers?.get(timeoutHeader));
  const relative = Date.now() + (Number.isFinite(patience) && patience > 0 ? patience : defaultPatienceMs);
  const absolute = Number(msg.headers?.get(deadlineHeader));
  return Number.isFinite(absolute) && absolute > 0 ? Math.min(relative, absolute + clockSkewMs) : relative;
}

/** The remote context could not be asked: breaker open, no responder, or connection down. */
export class RemoteUnavailableError extends Error {
  override name = "RemoteUnavailableError";
  constructor(
    readonly service: string,
    readonly reason: "circuit-open" | "no-responders" | "overloaded" | "failed",
  ) {
    super(`${service} is unavailable (${reason})`);
  }

  /**
   * The request provably never reached the remote: the breaker refused it here, it waited too
   * long for its turn here (overloaded), or NATS found nobody subscribed to take it. ("failed" may have been delivered: a crash in the remote
   * handler, a connection lost after sending.)
   */
  get neverDelivered(): boolean {
    return this.reason === "circuit-open" || this.reason === "no-responders" || this.reason === "overloaded";
  }
}

/** The remote context did not answer in time: the outcome is unknown, not a refusal. */
export class RemoteTimeoutError extends Error {
  override name = "RemoteTimeoutError";
  constructor(readonly service: string) {
    super(`${service} did not answer in time`);
  }
}

/** Replies being worked on by this process's RPC servers, so a graceful stop can wait for them. */
const inFlightReplies = new Set<Promise<void>>();

/** Resolves when every request this process's RPC servers took has been answered. */
export async function rpcServersIdle(): Promise<void> {
  while (inFlightReplies.size > 0) await Promise.allSettled([...inFlightReplies]);
}

export function serveRpc<C extends RpcContract>(
  m: Messaging,
  service: string,
  contract: C,
  handlers: RpcHandlers<C>,
  onError?: (err: unknown) => void,
): Subscription[] {
  return Object.keys(contract).map((method) => {
    const def = contract[method]!;
    return m.nc.subscribe(rpcSubject(m.ns, service, method), {
      queue: service,
      callback: (err, msg: Msg) => {
        if (err) return onError?.(err);
        const call: RpcCall = { deadline: deadlineOf(msg) };
        // The caller's trace continues here (its `traceparent` travels in the request headers).
        const replied = inSpan(
          `${service}.${method} serve`,
          {
            kind: SpanKind.SERVER,
            parent: contextFromCarrier(msg.headers),
            attributes: { "rpc.system": "nats", "rpc.service": service, "rpc.method": method },
            log: { rpc: `${service}.${method}` },
          },
          async (span) => {
            let reply: RpcReply<unknown>;
            try {
              const input = def.input.safeParse(msg.json());
              if (input.success) {
                const orderId = (input.data as { orderId?: unknown }).orderId;
                if (typeof orderId === "string") annotate({ orderId });
              }
              reply = input.success
                ? await handlers[method]!(input.data as never, call)
                : { ok: false, code: "BAD_REQUEST", message: input.error.message };
            } catch (e) {
              failSpan(span, e);
              onError?.(e);
              reply = { ok: false, code: "INTERNAL", message: "internal error" };
            }
            msg.respond(JSON.stringify(reply));
          },
        ).catch((e) => onError?.(e));
        inFlightReplies.add(replied);
        void replied.finally(() => inFlightReplies.delete(replied));
      },
    });
  });
}

export interface RpcClientOptions {
  timeoutMs: number;
  /** Consecutive transport failures that open the breaker. */
  failuresToOpen: number;
  /** How long the breaker stays open before letting one trial call through. */
  halfOpenAfterMs: number;
  /**
   * Calls this client has out at once; the others wait their turn here (bulkhead). A burst is
   * queued instead of all landing on the remote at once, where they would slow each other past
   * the timeout and open the breaker although the remote is healthy, only busy.
   */
  maxInFlight?: number;
  /** A call that waited this long for its turn is given up ("busy") without being sent. */
  maxQueueMs?: number;
}

export const defaultRpcOptions = (): RpcClientOptions => ({
  timeoutMs: eventsSetting("BAEDAL_RPC_TIMEOUT_MS"),
  failuresToOpen: eventsSetting("BAEDAL_BREAKER_FAILURES"),
  halfOpenAfterMs: eventsSetting("BAEDAL_BREAKER_HALF_OPEN_MS"),
  maxInFlight: eventsSetting("BAEDAL_RPC_MAX_IN_FLIGHT"),
  maxQueueMs: eventsSetting("BAEDAL_RPC_MAX_QUEUE_MS"),
});

/** Calls waiting for their turn at most, per client: beyond, a call is refused at once. */
const maxQueued = 2_000;

/** Thrown inside the bulkhead when a call's turn came too late: it is not sent. */
class WaitedTooLong extends Error {}

/** Every RPC client of this process, so health and metrics endpoints can report breaker states. */
export const rpcClients = new Set<RpcClient<RpcContract>>();

/** The one way to call another context: timeout + circuit breaker from cockatiel. */
export class RpcClient<C extends RpcContract> {
  readonly breaker: CircuitBreakerPolicy;
  private readonly policy;
  private readonly bulkhead: BulkheadPolicy;

  constructor(
    private readonly m: Messaging,
    readonly service: string,
    private readonly contract: C,
    private readonly opts: RpcClientOptions = defaultRpcOptions(),
  ) {
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: opts.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(opts.failuresToOpen),
    });
    this.policy = wrap(this.breaker, timeout(opts.timeoutMs, TimeoutStrategy.Aggressive));
    this.bulkhead = bulkhead(opts.maxInFlight ?? eventsSetting("BAEDAL_RPC_MAX_IN_FLIGHT"), maxQueued);
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    rpcClients.add(this as unknown as RpcClient<RpcContract>);
  }

  /** How long a call waits for its answer. */
  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  /**
   * True when the breaker is open: a call now would be refused without leaving this process.
   * (Half-open lets a trial through, so it does not count.)
   */
  get refusingCalls(): boolean {
    if (this.breaker.state === CircuitState.Isolated) return true;
    // Once `halfOpenAfterMs` has passed the next call is the breaker's trial: let it through.
    return this.breaker.state === CircuitState.Open && Date.now() - this.openedAt < this.opts.halfOpenAfterMs;
  }
  private openedAt = 0;

  /** Runs `fn` whenever the remote answers again after a failed call (it is back). */
  onRecovered(fn: () => void): void {
    this.recoveryListeners.push(fn);
  }
  private readonly recoveryListeners: (() => void)[] = [];
  private failing = false;

  get state(): "closed" | "open" | "half-open" | "isolated" {
    return (
      {
        [CircuitState.Closed]: "closed",
        [CircuitState.Open]: "open",
        [CircuitState.HalfOpen]: "half-open",
        [CircuitState.Isolated]: "isolated",
      } as const
    )[this.breaker.state];
  }

  async call<K extends keyof C & string>(
    method: K,
    input: z.infer<C[K]["input"]>,
  ): Promise<RpcReply<z.infer<C[K]["output"]>>> {
    const subject = rpcSubject(this.m.ns, this.service, method);
    const payload = JSON.stringify(this.contract[method]!.input.parse(input));
    const started = performance.now();
    const report = (outcome: RpcOutcome) =>
      messagingObserver().rpcCall(this.service, method, outcome, (performance.now() - started) / 1000);
    return inSpan(
      `${this.service}.${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { "rpc.system": "nats", "rpc.service": this.service, "rpc.method": method },
      },
      async () => {
        let reply: RpcReply<unknown>;
        try {
          const queuedAt = performance.now();
          // The bulkhead outside the breaker and the timeout: waiting for a turn is not the
          // remote's slowness, and a call given up while waiting never counts against it.
          reply = await this.bulkhead.execute(() => {
            if (
              performance.now() - queuedAt >
              (this.opts.maxQueueMs ?? eventsSetting("BAEDAL_RPC_MAX_QUEUE_MS"))
            )
              throw new WaitedTooLong();
            return this.policy.execute(async ({ signal }) => {
              const msg = await this.m.nc.request(subject, payload, {
                timeout: this.opts.timeoutMs + 1_000,
                headers: natsTraceHeaders({
                  [timeoutHeader]: String(this.opts.timeoutMs),
                  [deadlineHeader]: String(Date.now() + this.opts.timeoutMs),
                }),
              });
              if (signal.aborted) throw new TaskCancelledError();
              const r = msg.json<RpcReply<unknown>>();
              // A crash inside the remote handler counts against the breaker like a failed call.
              if (!r.ok && r.code === "INTERNAL") throw new RemoteUnavailableError(this.service, "failed");
              return r;
            });
          });
        } catch (err) {
          const failure = asRemoteError(this.service, err);
          report(failure instanceof RemoteTimeoutError ? "timeout" : "unavailable");
          this.failing = true;
          throw failure;
        }
        if (this.failing) {
          this.failing = false;
          for (const fn of this.recoveryListeners) fn();
        }
        report(reply.ok ? "ok" : "refused");
        if (!reply.ok) return reply;
        return { ok: true, data: this.contract[method]!.output.parse(reply.data) as z.infer<C[K]["output"]> };
      },
    );
  }
}

/** What a failed call means to the caller: the remote was unavailable, or the outcome is unknown. */
function asRemoteError(service: string, err: unknown): RemoteUnavailableError | RemoteTimeoutError {
  if (err instanceof RemoteUnavailableError) return err;
  if (err instanceof BrokenCircuitError) return new RemoteUnavailableError(service, "circuit-open");
  if (err instanceof WaitedTooLong || err instanceof BulkheadRejectedError)
    return new RemoteUnavailableError(service, "overloaded");
  if (err instanceof TaskCancelledError) return new RemoteTimeoutError(service);
  if (isNoResponders(err)) return new RemoteUnavailableError(service, "no-responders");
  return new RemoteUnavailableError(service, "failed");
}

function isNoResponders(err: unknown): boolean {
  if (err instanceof natsErrors.NoRespondersError) return true;
  return err instanceof Error && /no responders/i.test(err.message + String(err.cause ?? ""));
}
