import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StoreEvents } from "@baedal/events";
import { DomainError } from "../../../src/platform/errors.js";
import * as ticket from "../../../src/store/domain/ticket.js";
import type { Ticket, TicketStatus } from "../../../src/store/domain/ticket.js";

const newTicket = (): Ticket =>
  ticket.openTicket(randomUUID(), {
    orderId: randomUUID(),
    shopId: randomUUID(),
    shopName: "Busan Hoe",
    shopAddress: "1 Haeundae-ro",
    lines: [{ menuItemId: randomUUID(), name: "Flatfish", unitPriceKrw: 30_000, quantity: 1 }],
    itemsTotalKrw: 30_000,
    totalKrw: 33_000,
    deliveryAddress: "22 Gwangan-ro",
    phone: "010-1234-5678",
    note: "",
  });
const at = (status: TicketStatus): Ticket => ({ ...newTicket(), status });

function refused(fn: () => unknown, code: string, reason?: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    if (reason) expect((e as DomainError).reason).toBe(reason);
    return;
  }
  throw new Error("expected a DomainError");
}

describe("ticket lifecycle", () => {
  it("opens NEW with nothing decided", () => {
    const t = newTicket();
    expect(t.status).toBe("NEW");
    expect(t.riderCalledAt).toBeNull();
    expect(ticket.isTombstone(t)).toBe(false);
  });

  it("goes NEW → ACCEPTED → COOKING → READY, one event each", () => {
    const a = ticket.accept(newTicket(), 25);
    expect(a.state).toMatchObject({ status: "ACCEPTED", prepMinutes: 25 });
    expect(a.events).toHaveLength(1);
    expect(a.events[0]).toMatchObject({ type: "TicketAccepted", source: "store", orderId: a.state.orderId });
    expect(a.events[0]!.data).toEqual({ ticketId: a.state.id, orderId: a.state.orderId, shopId: a.state.shopId, prepMinutes: 25 });

    const c = ticket.startCooking(a.state);
    expect(c.state.status).toBe("COOKING");
    expect(c.events.map((e) => e.type)).toEqual(["TicketCookingStarted"]);

    const r = ticket.markReady(c.state);
    expect(r.state.status).toBe("READY");
    expect(r.events.map((e) => e.type)).toEqual(["TicketReady"]);
  });

  it("rejects a NEW ticket with a reason", () => {
    const { state, events } = ticket.reject(newTicket(), "  Out of flatfish ");
    expect(state).toMatchObject({ status: "REJECTED", rejectReason: "Out of flatfish" });
    expect(events[0]).toMatchObject({ type: "TicketRejected", data: { reason: "Out of flatfish" } });
    refused(() => ticket.reject(newTicket(), "   "), "BAD_REQUEST");
  });

  it("refuses prep times outside 1..180", () => {
    refused(() => ticket.accept(newTicket(), 0), "BAD_REQUEST");
    refused(() => ticket.accept(newTicket(), 181), "BAD_REQUEST");
    refused(() => ticket.accept(newTicket(), 2.5), "BAD_REQUEST");
  });

  it.each([
    ["accept", (t: Ticket) => ticket.accept(t, 10), ["ACCEPTED", "COOKING", "READY", "REJECTED", "CANCELLED"]],
    ["reject", (t: Ticket) => ticket.reject(t, "no"), ["ACCEPTED", "COOKING", "READY", "REJECTED", "CANCELLED"]],
    ["startCooking", ticket.startCooking, ["NEW", "COOKING", "READY", "REJECTED", "CANCELLED"]],
    ["markReady", ticket.markReady, ["NEW", "ACCEPTED", "READY", "REJECTED", "CANCELLED"]],
  ] as const)("%s is illegal from the wrong states", (_name, fn, from) => {
    for (const s of from) refused(() => fn(at(s)), "CONFLICT", "ILLEGAL_TRANSITION");
  });
});

describe("calling a rider", () => {
  const ready = () => at("READY");
  const now = new Date("2025-01-01T03:00:00Z");

  it("records the call once and asks for a rider with the shop's address as pickup", () => {
    const t = ready();
    const { state, events } = ticket.callRider(t, { destination: " 9 Suyeong-ro ", feeKrw: 4_000, at: now });
    expect(state).toMatchObject({ status: "READY", riderCalledAt: now, riderFeeKrw: 4_000, riderDestination: "9 Suyeong-ro" });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: StoreEvents.RiderCallRequested.type,
      orderId: t.orderId,
      data: { ticketId: t.id, shopName: "Busan Hoe", pickupAddress: "1 Haeundae-ro", destination: "9 Suyeong-ro", feeKrw: 4_000 },
    });
    refused(() => ticket.callRider(state, { destination: "x", feeKrw: 4_000, at: now }), "CONFLICT", "RIDER_ALREADY_CALLED");
    refused(() => ticket.assertCanCallRider(state), "CONFLICT", "RIDER_ALREADY_CALLED");
  });

  it("only when READY", () => {
    for (const s of ["NEW", "ACCEPTED", "COOKING", "REJECTED", "CANCELLED"] as const) {
      refused(() => ticket.callRider(at(s), { destination: "x", feeKrw: 4_000, at: now }), "CONFLICT", "ILLEGAL_TRANSITION");
    }
  });

  it("refuses fees outside 1,000..50,000 KRW and an empty destination", () => {
    refused(() => ticket.callRider(ready(), { destination: "x", feeKrw: 999, at: now }), "BAD_REQUEST");
    refused(() => ticket.callRider(ready(), { destination: "x", feeKrw: 50_001, at: now }), "BAD_REQUEST");
    refused(() => ticket.callRider(ready(), { destination: " ", feeKrw: 4_000, at: now }), "BAD_REQUEST");
  });
});

describe("order cancelled", () => {
  it.each(["NEW", "ACCEPTED", "COOKING", "READY"] as const)("cancels a %s ticket with the order's reason", (s) => {
    const cause = randomUUID();
    const { state, events } = ticket.cancel(at(s), "Customer changed their mind", cause);
    expect(state).toMatchObject({ status: "CANCELLED", cancelReason: "Customer changed their mind" });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "TicketCancelled", causationId: cause, data: { reason: "Customer changed their mind" } });
  });

  it.each(["REJECTED", "CANCELLED"] as const)("ignores a %s ticket (obsolete event)", (s) => {
    const t = at(s);
    expect(ticket.cancel(t, "late", randomUUID())).toEqual({ state: t, events: [] });
  });

  it("a tombstone is a cancelled ticket without lines", () => {
    const t = ticket.tombstone(randomUUID(), randomUUID(), randomUUID(), "cancelled early");
    expect(t).toMatchObject({ status: "CANCELLED", cancelReason: "cancelled early", lines: [] });
    expect(ticket.isTombstone(t)).toBe(true);
    expect(ticket.cancel(t, "again", null).events).toEqual([]);
  });
});
