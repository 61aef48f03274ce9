import { envelopeSchema, type AnyEventDefinition, type EventEnvelope } from "./envelope.js";
import * as catalog from "./contracts/catalog.js";
import * as delivery from "./contracts/delivery.js";
import * as notification from "./contracts/notification.js";
import * as order from "./contracts/order.js";
import * as payment from "./contracts/payment.js";
import * as review from "./contracts/review.js";
import * as store from "./contracts/store.js";

const modules = [catalog, review, order, payment, store, delivery, notification];

function isDefinition(value: unknown): value is AnyEventDefinition {
  return typeof value === "object" && value !== null && "type" in value && "schema" in value && "keyOf" in value;
}

/** Every event type Baedal knows, by type name. */
export const eventRegistry: ReadonlyMap<string, AnyEventDefinition> = new Map(
  modules.flatMap((m) => Object.values(m).filter(isDefinition)).map((d) => [d.type, d]),
);

/** The event types one context publishes (e.g. every order status change). */
export function eventTypesOf(source: string): string[] {
  return [...eventRegistry.values()].filter((d) => d.source === source).map((d) => d.type);
}

export class EventContractError extends Error {
  override name = "EventContractError";
}

/**
 * Reads an event off the wire: checks the envelope, upcasts older versions to the current one
 * and validates the data against the current schema. A newer version than we know is refused
 * (the consumer parks it) rather than guessed at.
 */
export function parseEvent(raw: unknown): EventEnvelope {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw new EventContractError(`bad envelope: ${envelope.error.message}`);
  const e = envelope.data;
  const def = eventRegistry.get(e.type);
  if (!def) throw new EventContractError(`unknown event type ${e.type}`);
  if (e.version > def.version) {
    throw new EventContractError(`${e.type} v${e.version} is newer than the known v${def.version}`);
  }
  let data = e.data;
  for (let v = e.version; v < def.version; v++) {
    const up = def.upcast[v];
    if (!up) throw new EventContractError(`no upcaster for ${e.type} v${v}`);
    data = up(data);
  }
  const parsed = def.schema.safeParse(data);
  if (!parsed.success) throw new EventContractError(`${e.type} data invalid: ${parsed.error.message}`);
  return { ...e, version: def.version, data: parsed.data };
}
