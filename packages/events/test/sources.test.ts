import { describe, expect, it } from "vitest";
import { createEvent } from "../src/envelope.js";
import * as OrderEvents from "../src/contracts/order.js";
import { eventTypesOf } from "../src/registry.js";
import type { DeliveryEvent, OrderEvent, PaymentEvent, StoreEvent } from "../src/sources.js";

/** One key per type of the union, no other (the object literal would not compile otherwise). */
type Every<E extends { type: string }> = Record<E["type"], true>;

describe("a source's events as one union", () => {
  it("has exactly the types the registry knows of that source", () => {
    const order: Every<OrderEvent> = {
      OrderPlaced: true,
      OrderAccepted: true,
      OrderCookingStarted: true,
      OrderReady: true,
      OrderRiderAssigned: true,
      OrderPickedUp: true,
      OrderDelivered: true,
      OrderCancelled: true,
      OrderRefunded: true,
    };
    const delivery: Every<DeliveryEvent> = {
      RiderCallOpened: true,
      RiderCallAccepted: true,
      RiderCallPickedUp: true,
      RiderCallCompleted: true,
      RiderCallCancelled: true,
    };
    const payment: Every<PaymentEvent> = {
      PaymentRefunded: true,
      PaymentVoided: true,
      RiderFeeRegistered: true,
      RiderFeeWithdrawn: true,
      RiderFeeSettled: true,
    };
    const store: Every<StoreEvent> = {
      TicketAccepted: true,
      TicketRejected: true,
      TicketCookingStarted: true,
      TicketReady: true,
      TicketCancelled: true,
      RiderCallRequested: true,
    };
    for (const [source, types] of Object.entries({ order, delivery, payment, store })) {
      expect(Object.keys(types).sort()).toEqual(eventTypesOf(source).sort());
    }
  });

  it("narrows the data by the type", () => {
    const refundOf = (e: OrderEvent) => (e.type === "OrderRefunded" ? e.data.refundKrw : null);
    const refunded = createEvent(OrderEvents.OrderRefunded, {
      orderId: "5f0d8a0c-7d4b-4d7e-8d8a-3b3b8f1e2c22",
      customerId: "0b6f1c9e-58b4-4a8e-9a56-0f3c4c1f6a11",
      shopId: "9a1f0c3e-2b4d-4c6e-8f0a-1b2c3d4e5f33",
      seq: 4,
      status: "CANCELLED",
      at: "2025-01-01T10:03:00.000Z",
      refundKrw: 33_000,
    });
    expect(refundOf(refunded)).toBe(33_000);
  });
});
