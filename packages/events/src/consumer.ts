import { eventsSetting } from "./config.js";
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { AnyEventDefinition, EventEnvelope, EventOf } from "./envelope.js";
import { directSql } from "./direct-sql.js";
import { crashPoint } from "./faults.js";
import { sourceFilter, streamName, type Messaging } from "./nats.js";
import type { UnitOfWork } from "./outbox.js";
import { parseEvent } from "./registry.js";
import { quoteIdent, type SqlExecutor } from "./sql.js";
import type { Span } from "@opentelemetry/api";
import {
  SpanKind,
  annotate,
  contextFromCarrier,
  failSpan,
  inSpan,
  messagingObserver,
  traceCarrier,
  type TraceCarrier,
} from "./telemetry.js";

export type EventHandler<TTx> = ((event: EventEnvelope, tx: TTx) => Promise<EventEnvelope[] | void>) & {
  /** Set by `on()`: the one event type this handler is written for. */
  readonly eventType?: string;
};

/**
 * A handler for each type of `E` (a source's union, e.g. `OrderEvent`): a consumer that follows
 * every event of its source writes `handlers: { … } satisfies HandlersFor<OrderEvent, Tx>`, so an
 * event type added to the contracts does not compile until that consumer handles it.
 */
export type HandlersFor<E extends { type: string }, TTx> = Record<E["type"], EventHandler<TTx>>;

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
  /**
   * For a consumer no screen waits on (the report): how long the first message after a quiet
   * spell waits for others to join it, so that a busy system applies them in fewer, larger
   * transactions. Omitted: at once, as a screen needs.
   */
  gatherMs?: number;
}

export interface ConsumerRuntime<TTx extends SqlExecutor> {
  messaging: Messaging;
  schema: string;
  /** The consuming context (metrics label); the schema when omitted. */
  context?: string;
  uow: UnitOfWork<TTx>;
  maxDeliver?: number;
  /**
   * Runs one batch's transaction; the runtime hands every consumer of a context the same lane,
   * so that two of its consumers' batches never hold row locks the other waits for (a deadlock
   * costs Postgres' deadlock_timeout and a retry one at a time). Batches run at once without it.
   */
  lane?: <T>(work: () => Promise<T>) => Promise<T>;
  log?: (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

const defaultMaxDeliver = () => eventsSetting("BAEDAL_MAX_DELIVER");
/** At most this many messages pulled ahead (and so at most this many events in one batch). */
const defaultBatch = () => eventsSetting("BAEDAL_CONSUMER_BATCH");
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

/** The event type a message's subject names (`<ns>.evt.<source>.<Type>`). */
const typeOf = (msg: JsMsg) => msg.subject.slice(msg.subject.lastIndexOf(".") + 1);

/** A message read and matched with its handler, ready to apply. */
interface Ready<TTx> {
  msg: JsMsg;
  event: EventEnvelope;
  handler: EventHandler<TTx>;
  started: number;
}

/** A handler of a batch threw: which one, and what. */
class HandlerFailed extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`handler ${index} of the batch failed: ${String(cause)}`);
  }
}

/**
 * The one consumer helper. A message of a type this consumer has no handler for is acked unread
 * (the filter subject delivers every event of the source). Each other one: parse it against the
 * contracts, and in one
 * transaction record the event id as handled (skip if it already was), apply the handler's
 * effects and store the events it emits; then ack. Failures are retried with backoff; the last
 * allowed delivery parks the event in the context's dead_letter table and acks it, so a poison
 * message never blocks the ones behind it.
 *
 * Messages that arrive while a transaction runs are applied together in the next one, in order
 * (one BEGIN/COMMIT, one multi-row processed-event mark, one multi-row outbox insert for all of
 * them): an idle consumer handles each event at once (or after `gatherMs`, where it has one), a
 * busy one in batches. When a handler of a
 * batch fails, the events before it are applied again as a batch, the failing one takes the path
 * it would have taken alone (retry later, or park), and the rest go on as a batch; any other
 * failure (the database away, the commit refused) sends every event of the batch down the
 * one-at-a-time path. Either way each event is applied once and none waits on another's failure.
 */
export class IdempotentConsumer<TTx extends SqlExecutor> {
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private readonly queue: JsMsg[] = [];
  private wake: (() => void) | undefined;
  private readerDone = false;
  private inFlight = 0;
  private pulling = false;
  private stopping = false;
  readonly maxDeliver: number;
  private readonly batchSize = defaultBatch();
  /** Events applied (their handler's transaction committed here). */
  handled = 0;
  /** Deliveries of events already applied (a redelivery after a late ack): acked, not applied again. */
  duplicates = 0;
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
    this.messages = await consumer.consume({ max_messages: this.batchSize });
    this.pulling = true;
    this.readerDone = false;
    void this.keepDeclared(this.messages);
    this.loop = Promise.all([this.read(this.messages), this.work()]).then(() => undefined);
  }

  /**
   * The server can lose a durable consumer: after a hard restart NATS may find its state file
   * unreadable and skip it (the chaos run saw "Error unmarshalling consumer metafile" for
   * report-from-payment, whose events then waited forever). The pulls go on and report it, and
   * nothing but us would declare it again: re-declared, it starts from the stream's beginning
   * and what was applied already is recognised as a duplicate.
   */
  private async keepDeclared(messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      if (this.stopping || (s.type !== "consumer_not_found" && s.type !== "consumer_deleted")) continue;
      try {
        await ensureConsumer(this.rt.messaging, this.spec.name, this.spec.source, this.maxDeliver);
        this.rt.log?.("warn", `${this.spec.name}: the consumer was gone from the server; declared again`, {
          notification: s.type,
        });
      } catch (err) {
        this.rt.log?.("warn", `${this.spec.name}: declaring the lost consumer again failed; retrying`, {
          error: String(err),
        });
      }
    }
  }

  /** Moves pulled messages into the queue the worker takes its batches from. */
  private async read(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) {
        this.queue.push(msg);
        this.wake?.();
      }
    } finally {
      this.pulling = false;
      this.readerDone = true;
      this.wake?.();
    }
  }

  /** Applies whatever has queued up as one batch, in arrival order, until the reader ends. */
  private async work(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        if (this.readerDone) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        // The messages of one pull arrive one by one: let them all reach the queue first (and,
        // where nobody waits, those of the next moments too).
        const gatherMs = this.spec.gatherMs;
        await new Promise((resolve) => (gatherMs ? setTimeout(resolve, gatherMs) : setImmediate(resolve)));
        continue;
      }
      const batch = this.queue.splice(0, this.batchSize);
      this.inFlight += batch.length;
      try {
        const lane = this.rt.lane ?? ((w) => w());
        await lane(() => this.processBatch(batch)).catch((err) => {
          // Not expected (every path settles its messages); unsettled ones come back after ack_wait.
          this.rt.log?.("error", `${this.spec.name}: a batch failed unexpectedly`, { error: String(err) });
        });
      } finally {
        this.inFlight -= batch.length;
      }
    }
  }

  /**
   * Whether this consumer has a handler for events of `type`. The filter subject (one per
   * consumer on this NATS) delivers every event of the source: the others are acked unread,
   * without parsing, validating or tracing them.
   */
  private handles(type: string): boolean {
    return Object.hasOwn(this.spec.handlers, type) && this.spec.handlers[type] !== undefined;
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
    const type = typeOf(msg);
    if (!this.handles(type)) {
      msg.ack();
      return;
    }
    const started = performance.now();
    await this.inConsumerSpan(msg, type, async (span) => {
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
      // Chosen by the subject's type above; the payload's own type names the handler (they
      // differ only for a message none of our publishers would send: acked, as unhandled).
      const handler = this.spec.handlers[event.type];
      if (!handler) {
        msg.ack();
        return;
      }
      try {
        const applied = await this.throughOutages(msg, () => this.apply(event, handler));
        crashPoint("consumer.beforeAck");
        msg.ack();
        if (applied) this.handled++;
        else this.duplicates++;
        messagingObserver().handled(this.context, event.type, (performance.now() - started) / 1000);
        this.rt.log?.("debug", `${this.spec.name}: ${event.type} handled`, {
          eventId: event.id,
          orderId: event.orderId,
          duplicate: !applied,
        });
      } catch (err) {
        failSpan(span, err);
        await this.onFailure(msg, event, err);
      }
    }).catch((err) => {
      // Parking itself failed (database down): leave the message unacked; it comes back after ack_wait.
      this.rt.log?.("error", `${this.spec.name}: could not handle ${msg.subject}`, { error: String(err) });
    });
  }

  /** The span one message is handled in: it continues the producer's trace (the message's headers). */
  private inConsumerSpan<T>(msg: JsMsg, type: string, fn: (span: Span) => Promise<T>): Promise<T> {
    return inSpan(
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
      fn,
    );
  }

  /**
   * What happens to an event its handler failed on: wait and retry when it came too early (for
   * as long as its window lasts), park it on the last allowed delivery, else retry with backoff.
   */
  private async onFailure(msg: JsMsg, event: EventEnvelope, err: unknown): Promise<void> {
    this.failed++;
    messagingObserver().failed(this.context, event.type);
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

  /** Several messages: the ones with a handler are applied together (see the class comment). */
  private async processBatch(msgs: JsMsg[]): Promise<void> {
    if (msgs.length === 1) return this.process(msgs[0]!);
    const ready: Ready<TTx>[] = [];
    for (const msg of msgs) {
      if (!this.handles(typeOf(msg))) {
        msg.ack();
        continue;
      }
      let event: EventEnvelope;
      try {
        event = parseEvent(msg.json());
      } catch {
        await this.process(msg); // parks it, as alone
        continue;
      }
      const handler = this.spec.handlers[event.type];
      if (!handler) msg.ack();
      else ready.push({ msg, event, handler, started: performance.now() });
    }
    await this.applyReady(ready);
  }

  private async applyReady(ready: Ready<TTx>[]): Promise<void> {
    if (ready.length === 0) return;
    if (ready.length === 1) return this.process(ready[0]!.msg);
    let applied: boolean[];
    try {
      applied = await this.applyBatch(ready);
    } catch (err) {
      // A handler that said "too early" spoke for itself; any other failure may be the database's.
      const handlerSpoke =
        err instanceof HandlerFailed &&
        !this.stopping &&
        (err.cause instanceof EventTooEarly || (await this.databaseAnswers()));
      if (handlerSpoke) {
        const failing = ready[err.index]!;
        await this.applyReady(ready.slice(0, err.index));
        await this.onFailure(failing.msg, failing.event, err.cause);
        await this.applyReady(ready.slice(err.index + 1));
      } else {
        this.rt.log?.("debug", `${this.spec.name}: a batch of ${ready.length} failed; one at a time`, {
          error: String(err instanceof HandlerFailed ? err.cause : err),
        });
        for (const r of ready) await this.process(r.msg);
      }
      return;
    }
    ready.forEach((r, i) => {
      crashPoint("consumer.beforeAck");
      r.msg.ack();
      if (applied[i]) this.handled++;
      else this.duplicates++;
      messagingObserver().handled(this.context, r.event.type, (performance.now() - r.started) / 1000);
      this.rt.log?.("debug", `${this.spec.name}: ${r.event.type} handled`, {
        eventId: r.event.id,
        orderId: r.event.orderId,
        duplicate: !applied[i],
        batch: ready.length,
      });
    });
  }

  /**
   * Applies a batch in one transaction: one statement marks every event id handled and tells
   * which were new; each new event's handler runs in its own consumer span (continuing its
   * producer's trace), in order, and its events continue that span's trace.
   */
  private async applyBatch(ready: Ready<TTx>[]): Promise<boolean[]> {
    return this.rt.uow.runEach(async (tx) => {
      const fresh = await markHandled(
        tx,
        this.rt.schema,
        this.spec.name,
        ready.map((r) => r.event.id),
      );
      const pieces: { result: boolean; events: EventEnvelope[]; trace: TraceCarrier | null }[] = [];
      for (const [i, r] of ready.entries()) {
        // A second copy of an event in the same batch (a redelivery) is a duplicate.
        if (!fresh.delete(r.event.id.toLowerCase())) {
          pieces.push({ result: false, events: [], trace: null });
          continue;
        }
        const piece = await this.inConsumerSpan(r.msg, r.event.type, async (span) => {
          span.setAttribute("baedal.event_id", r.event.id);
          annotate({ orderId: r.event.orderId, eventId: r.event.id });
          try {
            const events = (await r.handler(r.event, tx)) ?? [];
            return { result: true, events, trace: traceCarrier() };
          } catch (err) {
            throw new HandlerFailed(i, err);
          }
        });
        pieces.push(piece);
      }
      return pieces;
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
    return this.rt.uow.run(async (tx) => {
      const fresh = await markHandled(tx, this.rt.schema, this.spec.name, [event.id]);
      if (fresh.size === 0) return { result: false, events: [] };
      const emitted = (await handler(event, tx)) ?? [];
      return { result: true, events: emitted };
    });
  }

  /** Re-runs a parked event through this consumer's handler (operator replay). */
  async replay(payload: unknown): Promise<boolean> {
    const event = parseEvent(payload);
    const handler = this.spec.handlers[event.type];
    if (!handler) return false;
    // A replayed change wakes live screens like any other: its effects run after its commit.
    return this.apply(event, handler);
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

/**
 * Records event ids as handled by `consumer` in one statement; returns the ids that were not
 * recorded before (the events to apply now).
 */
async function markHandled(
  tx: SqlExecutor,
  schema: string,
  consumer: string,
  ids: string[],
): Promise<Set<string>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const rows = await directSql(tx).$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO ${quoteIdent(schema)}.processed_event (consumer, event_id)
     VALUES ${unique.map((_, i) => `($1, $${i + 2}::uuid)`).join(", ")}
     ON CONFLICT DO NOTHING RETURNING event_id::text AS id`,
    consumer,
    ...unique,
  );
  return new Set(rows.map((r) => r.id));
}
