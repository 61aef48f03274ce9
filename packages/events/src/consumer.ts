import { eventsSetting } from "./config.js";
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { AnyEventDefinition, EventEnvelope, EventOf } from "./envelope.js";
import { crashPoint } from "./faults.js";
import { sourceFilter, streamName, type Messaging } from "./nats.js";
import type { UnitOfWork } from "./outbox.js";
import { parseEvent } from "./registry.js";
import { quoteIdent, type SqlExecutor } from "./sql.js";
import { SpanKind, annotate, contextFromCarrier, failSpan, inSpan, messagingObserver } from "./telemetry.js";

export type EventHandler<TTx> = ((event: EventEnvelope, tx: TTx) => Promise<EventEnvelope[] | void>) & {
  /** Set by `on()`: the one event type this handler is written for. */
  readonly eventType?: string;
};

/**
 * A handler for one event type, its event typed by the type's definition. The data is safe to
 * read as typed: the consumer validated it against that same schema (`parseEvent`). The consumer
 * refuses a handler registered under another type's name, so the key and the type agree.
 */
export function on<D extends AnyEventDefinition, TTx>(
  def: D,
  handle: (event: EventOf<D>, tx: TTx) => Promise<EventEnvelope[] | void>,
): EventHandler<TTx> {
  return Object.assign((event: EventEnvelope, tx: TTx) => handle(event as EventOf<D>, tx), {
    eventType: def.type,
  });
}

export interface ConsumerSpec<TTx extends SqlExecutor> {
  /** Durable name, shared by every replica of the consuming context: `<context>-from-<source>`. */
  name: string;
  /** The context whose events this consumer reads (one filter subject per consumer). */
  source: string;
  handlers: Partial<Record<string, EventHandler<TTx>>>;
  /** Runs after the handler's transaction committed (e.g. to wake live screens). */
  afterCommit?: (event: EventEnvelope) => void;
}

export interface ConsumerRuntime<TTx extends SqlExecutor> {
  messaging: Messaging;
  schema: string;
  /** The consuming context (metrics label); the schema when omitted. */
  context?: string;
  uow: UnitOfWork<TTx>;
  maxDeliver?: number;
  log?: (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

const defaultMaxDeliver = () => eventsSetting("BAEDAL_MAX_DELIVER");
const retryDelayMs = (attempt: number) => Math.min(200 * 2 ** (attempt - 1), 10_000);

/**
 * Thrown by a handler when the state the event follows on has not arrived yet (events from
 * different streams overtake each other: a rider accepted the call before the order heard the
 * kitchen marked it ready). Not a failure of the event: it is retried with a longer backoff, for
 * as long as it is younger than `BAEDAL_TOO_EARLY_WINDOW_MS` (default 15 min), and parked only
 * after that — not after the few quick attempts meant for events that fail on their own, which
 * a lagging stream outlasts.
 */
export class EventTooEarly extends Error {
  override name = "EventTooEarly";
}
const tooEarlyWindowMs = () => eventsSetting("BAEDAL_TOO_EARLY_WINDOW_MS");
const tooEarlyDelayMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 10_000);
/**
 * The server's own bound on deliveries: above the failure budget, so that too-early events can
 * wait out their window (the client parks before the server gives up and drops a message).
 */
const serverMaxDeliver = (maxDeliver: number) => maxDeliver + 200;

/** Declares the durable consumer on the stream (idempotent: replicas share one consumer). */
export async function ensureConsumer(m: Messaging, name: string, source: string, maxDeliver: number) {
  const config = {
    durable_name: name,
    filter_subject: sourceFilter(m.ns, source),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(30_000),
    max_deliver: serverMaxDeliver(maxDeliver),
    max_ack_pending: 1_000,
  };
  try {
    await m.jsm.consumers.info(streamName(m.ns), name);
    await m.jsm.consumers.update(streamName(m.ns), name, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
    });
  } catch {
    await m.jsm.consumers.add(streamName(m.ns), config);
  }
}

/**
 * The one consumer helper. For each message: parse it against the contracts, and in one
 * transaction record the event id as handled (skip if it already was), apply the handler's
 * effects and store the events it emits; then ack. Failures are retried with backoff; the last
 * allowed delivery parks the event in the context's dead_letter table and acks it, so a poison
 * message never blocks the ones behind it.
 */
export class IdempotentConsumer<TTx extends SqlExecutor> {
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private inFlight = 0;
  private pulling = false;
  private stopping = false;
  readonly maxDeliver: number;
  handled = 0;
  failed = 0;

  constructor(
    private readonly spec: ConsumerSpec<TTx>,
    private readonly rt: ConsumerRuntime<TTx>,
  ) {
    this.maxDeliver = rt.maxDeliver ?? defaultMaxDeliver();
    for (const [type, handler] of Object.entries(spec.handlers)) {
      if (handler?.eventType !== undefined && handler.eventType !== type) {
        throw new Error(`${spec.name}: the handler for ${handler.eventType} is registered as ${type}`);
      }
    }
  }

  get name() {
    return this.spec.name;
  }

  /** True while this replica is bound to its durable consumer and pulling (readiness). */
  get bound(): boolean {
    return this.pulling;
  }

  private get context(): string {
    return this.rt.context ?? this.rt.schema;
  }

  async start(): Promise<void> {
    const m = this.rt.messaging;
    await ensureConsumer(m, this.spec.name, this.spec.source, this.maxDeliver);
    const consumer = await m.js.consumers.get(streamName(m.ns), this.spec.name);
    this.messages = await consumer.consume({ max_messages: eventsSetting("BAEDAL_CONSUMER_BATCH") });
    const messages = this.messages;
    this.pulling = true;
    this.loop = (async () => {
      try {
        for await (const msg of messages) {
          this.inFlight++;
          try {
            await this.process(msg);
          } finally {
            this.inFlight--;
          }
        }
      } finally {
        this.pulling = false;
      }
    })();
  }

  /** Stops pulling, lets the messages already pulled finish, and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.loop?.catch(() => undefined);
  }

  /** Messages the server still holds for this consumer (for readiness and metrics). */
  async pending(): Promise<number> {
    const m = this.rt.messaging;
    const info = await m.jsm.consumers.info(streamName(m.ns), this.spec.name);
    return info.num_pending + info.num_ack_pending;
  }

  /**
   * Handles one message inside a consumer span that continues the producer's trace (from the
   * message's `traceparent`), with the event's orderId and id in every log line of the handler.
   */
  private async process(msg: JsMsg): Promise<void> {
    const type = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
    const started = performance.now();
    await inSpan(
      `${this.spec.name} ${type}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromCarrier(msg.headers),
        attributes: {
          "messaging.system": "nats",
          "messaging.destination.name": msg.subject,
          "messaging.consumer.group.name": this.spec.name,
          "messaging.message.delivery_count": msg.info.deliveryCount,
        },
        log: { consumer: this.spec.name, eventType: type, orderId: msg.headers?.get("Baedal-Order-Id") },
      },
      async (span) => {
        let event: EventEnvelope;
        try {
          event = parseEvent(msg.json());
        } catch (err) {
          // A message that cannot be read will never get better: park it now.
          failSpan(span, err);
          await this.throughOutages(msg, () => this.park(msg, null, err, type));
          msg.term();
          return;
        }
        span.setAttribute("baedal.event_id", event.id);
        annotate({ orderId: event.orderId, eventId: event.id });
        const handler = this.spec.handlers[event.type];
        if (!handler) {
          msg.ack();
          return;
        }
        try {
          const applied = await this.throughOutages(msg, () => this.apply(event, handler));
          if (applied) this.spec.afterCommit?.(event);
          crashPoint("consumer.beforeAck");
          msg.ack();
          this.handled++;
          messagingObserver().handled(this.context, event.type, (performance.now() - started) / 1000);
          this.rt.log?.("debug", `${this.spec.name}: ${event.type} handled`, {
            eventId: event.id,
            orderId: event.orderId,
            duplicate: !applied,
          });
        } catch (err) {
          this.failed++;
          messagingObserver().failed(this.context, event.type);
          failSpan(span, err);
          const attempt = msg.info.deliveryCount;
          const tooEarly =
            err instanceof EventTooEarly && Date.now() - Date.parse(event.occurredAt) < tooEarlyWindowMs();
          if (tooEarly) {
            this.rt.log?.("debug", `${this.spec.name}: ${event.type} came too early, retrying later`, {
              orderId: event.orderId,
              eventId: event.id,
              attempt,
              reason: (err as Error).message,
            });
            msg.nak(tooEarlyDelayMs(attempt));
          } else if (attempt >= this.maxDeliver) {
            await this.throughOutages(msg, () => this.park(msg, event.id, err, event.type));
            msg.term();
          } else {
            this.rt.log?.("warn", `${this.spec.name}: ${event.type} failed, retrying`, {
              orderId: event.orderId,
              eventId: event.id,
              attempt,
              error: String(err),
            });
            msg.nak(retryDelayMs(attempt));
          }
        }
      },
    ).catch((err) => {
      // Parking itself failed (database down): leave the message unacked; it comes back after ack_wait.
      this.rt.log?.("error", `${this.spec.name}: could not handle ${msg.subject}`, { error: String(err) });
    });
  }

  /**
   * Runs `work`; while it fails because the database cannot be reached (restart, dropped
   * connections), keeps the message in hand (`working()` holds off redelivery) and tries again.
   * An outage is not the event's fault: it must not spend the bounded redelivery meant for
   * events that fail on their own, or a long enough outage parks (or, when parking fails too,
   * loses) every event in flight. Failures while the database answers are rethrown.
   */
  private async throughOutages<R>(msg: JsMsg, work: () => Promise<R>): Promise<R> {
    for (let waitMs = 250; ; waitMs = Math.min(waitMs * 2, 5_000)) {
      try {
        return await work();
      } catch (err) {
        if (this.stopping || (await this.databaseAnswers())) throw err;
        this.rt.log?.("warn", `${this.spec.name}: database unreachable; holding ${msg.subject}`, {
          error: String(err),
        });
        await new Promise((r) => setTimeout(r, waitMs));
        msg.working();
      }
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.rt.uow.run(async (tx) => ({ result: await tx.$queryRawUnsafe("SELECT 1"), events: [] }));
      return true;
    } catch {
      return false;
    }
  }

  /** Applies one event exactly once; returns false when it had been applied before. */
  async apply(event: EventEnvelope, handler: EventHandler<TTx>): Promise<boolean> {
    const table = `${quoteIdent(this.rt.schema)}.processed_event`;
    return this.rt.uow.run(async (tx) => {
      const fresh = await tx.$executeRawUnsafe(
        `INSERT INTO ${table} (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING`,
        this.spec.name,
        event.id,
      );
      if (fresh === 0) return { result: false, events: [] };
      const emitted = (await handler(event, tx)) ?? [];
      return { result: true, events: emitted };
    });
  }

  /** Re-runs a parked event through this consumer's handler (operator replay). */
  async replay(payload: unknown): Promise<boolean> {
    const event = parseEvent(payload);
    const handler = this.spec.handlers[event.type];
    if (!handler) return false;
    const applied = await this.apply(event, handler);
    // A replayed change wakes live screens like any other (e.g. a board waiting on it).
    if (applied) this.spec.afterCommit?.(event);
    return applied;
  }

  private async park(msg: JsMsg, eventId: string | null, err: unknown, type: string): Promise<void> {
    let payload: unknown;
    try {
      payload = msg.json();
    } catch {
      payload = { unreadable: msg.string() };
    }
    await this.rt.uow.run(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO ${quoteIdent(this.rt.schema)}.dead_letter (consumer, event_id, subject, payload, error, attempts)
         VALUES ($1, $2::uuid, $3, $4::jsonb, $5, $6)`,
        this.spec.name,
        eventId,
        msg.subject,
        JSON.stringify(payload),
        err instanceof Error ? err.message : String(err),
        msg.info.deliveryCount,
      );
      return { result: undefined, events: [] };
    });
    messagingObserver().parked(this.context, type);
    this.rt.log?.("error", `${this.spec.name}: parked ${msg.subject}`, { eventId, error: String(err) });
  }
}
