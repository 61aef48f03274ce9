import { randomUUID } from "node:crypto";
import { z } from "zod";

/**
 * The one envelope every domain event travels in. `orderId` is the correlation key for
 * everything that follows an order; events that follow something else (a menu item, a rider)
 * carry that id in `key`.
 */
export const envelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  source: z.string().min(1),
  occurredAt: z.string().datetime(),
  orderId: z.string().uuid().nullable(),
  key: z.string().min(1),
  causationId: z.string().uuid().nullable(),
  data: z.unknown(),
});
export type RawEnvelope = z.infer<typeof envelopeSchema>;

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  source: string;
  occurredAt: string;
  orderId: string | null;
  key: string;
  causationId: string | null;
  data: TData;
}

/** A definition of one event type at its current version, plus how to read older versions. */
export interface EventDefinition<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  source: string;
  version: number;
  schema: TSchema;
  /** Upcasters from older versions: upcast[1] turns v1 data into v2 data, and so on. */
  upcast: Record<number, (data: unknown) => unknown>;
  keyOf: (data: z.infer<TSchema>) => { orderId: string | null; key: string };
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(def: {
  type: TType;
  source: string;
  version?: number;
  schema: TSchema;
  upcast?: Record<number, (data: unknown) => unknown>;
  keyOf: (data: z.infer<TSchema>) => { orderId: string | null; key: string };
}): EventDefinition<TType, TSchema> {
  return { version: 1, upcast: {}, ...def };
}

export type AnyEventDefinition = EventDefinition<string, z.ZodType>;
export type DataOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? EventEnvelope<T, z.infer<S>> : never;

/** Builds an envelope for a new event; `causationId` is the event (if any) that caused it. */
export function createEvent<D extends AnyEventDefinition>(
  def: D,
  data: DataOf<D>,
  causationId: string | null = null,
): EventOf<D> {
  const parsed = def.schema.parse(data);
  const { orderId, key } = def.keyOf(parsed);
  return {
    id: randomUUID(),
    type: def.type,
    version: def.version,
    source: def.source,
    occurredAt: new Date().toISOString(),
    orderId,
    key,
    causationId,
    data: parsed,
  } as EventOf<D>;
}
