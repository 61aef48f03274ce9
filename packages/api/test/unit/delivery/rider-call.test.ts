import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/platform/errors.js";
import * as call from "../../../src/delivery/domain/rider-call.js";
import type { RiderCall, RiderCallStatus } from "../../../src/delivery/domain/rider-call.js";
import { startOfKoreanDay } from "../../../src/delivery/service.js";

const request = () => ({
  orderId: randomUUID(),
  shopId: randomUUID(),
  shopName: "Chicken Bros",
  pickupAddress: "3 Jongno",
  destination: "7 Euljiro",
  feeKrw: 4_500,
});
const now = new Date("2025-03-01T12:00:00Z");
const alice = { riderId: randomUUID(), name: "Alice", online: true };
const bob = { riderId: randomUUID(), name: "Bob", online: true };

const opened = () => call.open(randomUUID(), request(), randomUUID()).state;
const accepted = () => call.accept(opened(), alice, now).state;
const pickedUp = () => call.pickUp(accepted(), alice.riderId, now).state;
const completed = () => call.deliver(pickedUp(), alice.riderId, now).state;
const at = (status: RiderCallStatus): RiderCall =>
  ({ CALLED: opened, ACCEPTED: accepted, PICKED_UP: pickedUp, COMPLETED: completed, CANCELLED: () => call.cancel(opened(), "x", null).state })[status]();

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

describe("opening a call", () => {
  it("opens CALLED and announces it", () => {
    const cause = randomUUID();
    const req = request();
    const { state, events } = call.open("0b8f2f36-6a8e-4b7e-9a5e-0c7a1d1b2c3d", req, cause);
    expect(state).toMatchObject({ status: "CALLED", riderId: null, settlementStatus: null, feeKrw: 4_500 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "RiderCallOpened",
      source: "delivery",
      orderId: req.orderId,
      causationId: cause,
      data: { riderCallId: state.id, shopName: "Chicken Bros", pickupAddress: "3 Jongno", destination: "7 Euljiro", feeKrw: 4_500 },
    });
  });

  it("records a call for an already cancelled order as CANCELLED, silently", () => {
    const { state, events } = call.open(randomUUID(), request(), randomUUID(), "Customer cancelled");
    expect(state).toMatchObject({ status: "CANCELLED", cancelReason: "Customer cancelled" });
    expect(events).toEqual([]);
  });
});

describe("full delivery", () => {
  it("CALLED → ACCEPTED → PICKED_UP → COMPLETED, settlement PENDING then SETTLED", () => {
    const a = call.accept(opened(), alice, now);
    expect(a.state).toMatchObject({ status: "ACCEPTED", riderId: alice.riderId, riderName: "Alice", acceptedAt: now });
    expect(a.events[0]).toMatchObject({ type: "RiderCallAccepted", data: { riderId: alice.riderId, riderName: "Alice" } });

    const p = call.pickUp(a.state, alice.riderId, now);
    expect(p.state).toMatchObject({ status: "PICKED_UP", pickedUpAt: now });
    expect(p.events[0]).toMatchObject({ type: "RiderCallPickedUp", data: { riderId: alice.riderId } });

    const d = call.deliver(p.state, alice.riderId, now);
    expect(d.state).toMatchObject({ status: "COMPLETED", completedAt: now, settlementStatus: "PENDING" });
    expect(d.events[0]).toMatchObject({ type: "RiderCallCompleted", data: { riderId: alice.riderId, feeKrw: 4_500 } });

    const settlementId = randomUUID();
    expect(call.settled(d.state, settlementId)).toMatchObject({ settlementStatus: "SETTLED", settlementId });
  });
});

describe("accepting", () => {
  it("the second rider finds the call taken", () => {
    const taken = call.accept(opened(), alice, now).state;
    refused(() => call.accept(taken, bob, now), "CONFLICT", "CALL_TAKEN");
    refused(() => call.accept(pickedUp(), bob, now), "CONFLICT", "CALL_TAKEN");
  });

  it("the same rider accepting twice changes nothing", () => {
    const taken = accepted();
    expect(call.accept(taken, alice, now)).toEqual({ state: taken, events: [] });
  });

  it("needs the rider online", () => {
    refused(() => call.accept(opened(), { ...alice, online: false }, now), "PRECONDITION_FAILED", "RIDER_OFFLINE");
  });

  it("a cancelled call cannot be accepted", () => {
    refused(() => call.accept(at("CANCELLED"), alice, now), "CONFLICT", "CALL_CANCELLED");
  });
});

describe("only the assigned rider moves a call on", () => {
  it("another rider (or nobody yet) gets NOT_FOUND", () => {
    refused(() => call.pickUp(accepted(), bob.riderId, now), "NOT_FOUND");
    refused(() => call.pickUp(opened(), bob.riderId, now), "NOT_FOUND");
    refused(() => call.deliver(pickedUp(), bob.riderId, now), "NOT_FOUND");
  });

  it("in order: no pickup twice, no delivery before pickup", () => {
    refused(() => call.pickUp(pickedUp(), alice.riderId, now), "CONFLICT", "ILLEGAL_TRANSITION");
    refused(() => call.deliver(accepted(), alice.riderId, now), "CONFLICT", "ILLEGAL_TRANSITION");
    refused(() => call.deliver(completed(), alice.riderId, now), "CONFLICT", "ILLEGAL_TRANSITION");
  });

  it("settles only a PENDING completed call, once", () => {
    const s = call.settled(completed(), randomUUID());
    refused(() => call.settled(s, randomUUID()), "CONFLICT", "ILLEGAL_TRANSITION");
    refused(() => call.settled(pickedUp(), randomUUID()), "CONFLICT", "ILLEGAL_TRANSITION");
  });
});

describe("order cancelled", () => {
  it("cancels a CALLED call with nobody to tell", () => {
    const cause = randomUUID();
    const { state, events } = call.cancel(opened(), "Shop closed", cause);
    expect(state).toMatchObject({ status: "CANCELLED", cancelReason: "Shop closed" });
    expect(events[0]).toMatchObject({ type: "RiderCallCancelled", causationId: cause, data: { riderId: null, reason: "Shop closed" } });
  });

  it("cancels an ACCEPTED call naming its rider", () => {
    const { state, events } = call.cancel(accepted(), "Admin cancelled", null);
    expect(state.status).toBe("CANCELLED");
    expect(events[0]).toMatchObject({ type: "RiderCallCancelled", data: { riderId: alice.riderId } });
  });

  it.each(["PICKED_UP", "COMPLETED", "CANCELLED"] as const)("ignores a %s call (obsolete event)", (s) => {
    const c = at(s);
    expect(call.cancel(c, "late", null)).toEqual({ state: c, events: [] });
  });
});

describe("the rider's day", () => {
  it("starts at midnight in Korea", () => {
    expect(startOfKoreanDay(new Date("2025-03-01T12:00:00Z")).toISOString()).toBe("2025-02-28T15:00:00.000Z");
    expect(startOfKoreanDay(new Date("2025-03-01T15:30:00Z")).toISOString()).toBe("2025-03-01T15:00:00.000Z");
    expect(startOfKoreanDay(new Date("2025-03-01T14:59:59Z")).toISOString()).toBe("2025-02-28T15:00:00.000Z");
  });
});
