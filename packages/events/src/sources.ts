import type { EventOf } from "./envelope.js";
import type * as delivery from "./contracts/delivery.js";
import type * as order from "./contracts/order.js";
import type * as payment from "./contracts/payment.js";
import type * as store from "./contracts/store.js";

/**
 * Every event a contracts module defines, as one union discriminated by `type` (a module's exports
 * that are not definitions add nothing). A fold over a source's events takes it and `switch`es on
 * `event.type`: each branch reads the data its contract validated, with no cast, and an event
 * added to the module is in the union the day it is defined.
 */
export type EventsOf<M> = EventOf<M[keyof M]>;

/** Any event order publishes: each carries the order's ids, status and seq (contracts/order.ts). */
export type OrderEvent = EventsOf<typeof order>;
/** Any rider call event delivery publishes. */
export type DeliveryEvent = EventsOf<typeof delivery>;
export type PaymentEvent = EventsOf<typeof payment>;
export type StoreEvent = EventsOf<typeof store>;
