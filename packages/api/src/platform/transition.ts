import type { EventEnvelope } from "@baedal/events";

/**
 * What every domain transition returns: the aggregate's next state and the events it causes
 * (the service stores both in one unit of work). An aggregate that yields more — payment's
 * ledger lines — says so in `Extra` instead of declaring a transition shape of its own.
 */
export type Transition<S, Extra extends object = object> = { state: S; events: EventEnvelope[] } & Extra;
