import { describe, expect, it } from "vitest";
import { IdempotentConsumer, on, type ConsumerRuntime } from "../src/consumer.js";
import { createEvent } from "../src/envelope.js";
import * as StoreEvents from "../src/contracts/store.js";
import type { SqlExecutor } from "../src/sql.js";

const noRuntime = {} as ConsumerRuntime<SqlExecutor>;

describe("on(): a handler typed by its event definition", () => {
  it("hands the handler the event with its typed data", async () => {
    const seen: number[] = [];
    const handler = on(StoreEvents.TicketAccepted, async (event, _tx: SqlExecutor) => {
      seen.push(event.data.prepMinutes); // typed: a wrong field name would not compile
    });
    const event = createEvent(StoreEvents.TicketAccepted, {
      ticketId: "0b6f1c9e-58b4-4a8e-9a56-0f3c4c1f6a11",
      orderId: "5f0d8a0c-7d4b-4d7e-8d8a-3b3b8f1e2c22",
      shopId: "9a1f0c3e-2b4d-4c6e-8f0a-1b2c3d4e5f33",
      prepMinutes: 20,
    });
    await handler(event, {} as SqlExecutor);
    expect(seen).toEqual([20]);
    expect(handler.eventType).toBe("TicketAccepted");
  });

  it("a consumer refuses a typed handler registered under another event type's name", () => {
    const spec = {
      name: "order-from-store",
      source: "store",
      handlers: { TicketReady: on(StoreEvents.TicketAccepted, async () => undefined) },
    };
    expect(() => new IdempotentConsumer(spec, noRuntime)).toThrow(
      "order-from-store: the handler for TicketAccepted is registered as TicketReady",
    );
    const right = { ...spec, handlers: { TicketAccepted: spec.handlers.TicketReady } };
    expect(() => new IdempotentConsumer(right, noRuntime)).not.toThrow();
  });
});
