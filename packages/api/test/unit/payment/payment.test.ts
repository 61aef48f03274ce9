import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { passesLuhn, sandboxCards } from "../../../src/payment/domain/cards.js";
import {
  authorize,
  cancelRiderFee,
  refund,
  registerRiderFee,
  reregisterRiderFee,
  settleRiderFee,
  voidAuthorization,
  type PaymentState,
} from "../../../src/payment/domain/payment.js";
import { DomainError } from "../../../src/platform/errors.js";

const authorized = (): PaymentState => ({
  id: randomUUID(),
  orderId: randomUUID(),
  amountKrw: 62000,
  status: "AUTHORIZED",
});

describe("payment domain", () => {
  it("every sandbox card passes the Luhn check; typos do not", () => {
    for (const card of Object.values(sandboxCards)) expect(passesLuhn(card)).toBe(true);
    expect(passesLuhn("4242424242424241")).toBe(false);
    expect(passesLuhn("42424242")).toBe(false);
  });

  it("an authorization keeps the card's last four digits and charges the amount", () => {
    const attempt = { id: randomUUID(), orderId: randomUUID(), customerId: randomUUID(), amountKrw: 62000 };
    const t = authorize({ ...attempt, cardNumber: "4242424242424242" }, "ref-1");
    expect(t.state).toEqual({ ...attempt, status: "AUTHORIZED", cardLast4: "4242", gatewayRef: "ref-1" });
    expect(t.ledger).toEqual([{ kind: "CHARGE", orderId: attempt.orderId, amountKrw: 62000 }]);
    expect(t.events).toEqual([]);
  });

  it("a rider fee registered again follows the newest attempt and fee until it is settled", () => {
    const t = registerRiderFee({
      id: randomUUID(),
      orderId: randomUUID(),
      shopId: randomUUID(),
      feeKrw: 3500,
      attemptId: "a",
    });
    expect(t.state.status).toBe("REGISTERED");
    expect(t.ledger).toEqual([{ kind: "RIDER_FEE", orderId: t.state.orderId, amountKrw: 3500 }]);
    expect(t.events[0]).toMatchObject({ type: "RiderFeeRegistered", data: { feeKrw: 3500 } });
    expect(reregisterRiderFee(t.state, 3500, "a")).toBeNull();
    expect(reregisterRiderFee(t.state, 4000, "b")).toMatchObject({ feeKrw: 4000, attemptId: "b" });
    expect(reregisterRiderFee({ ...t.state, status: "SETTLED" }, 4000, "b")).toBeNull();
  });

  it("a refund gives back the whole amount once", () => {
    const t = refund(authorized(), null);
    expect(t.state.status).toBe("REFUNDED");
    expect(t.ledger).toEqual([{ kind: "REFUND", orderId: t.state.orderId, amountKrw: -62000 }]);
    expect(t.events[0]).toMatchObject({ type: "PaymentRefunded", data: { amountKrw: 62000 } });
    expect(() => refund(t.state, null)).toThrow(DomainError);
    expect(() => voidAuthorization(t.state)).toThrow(DomainError);
  });

  it("voiding an authorization returns the money with a VOID ledger line", () => {
    const t = voidAuthorization(authorized());
    expect(t.state.status).toBe("VOIDED");
    expect(t.ledger[0]).toMatchObject({ kind: "VOID", amountKrw: -62000 });
  });

  it("a rider fee settles once and cannot be cancelled afterwards", () => {
    const fee = {
      id: randomUUID(),
      orderId: randomUUID(),
      shopId: randomUUID(),
      feeKrw: 3500,
      status: "REGISTERED" as const,
    };
    const s = settleRiderFee(fee, randomUUID(), randomUUID(), randomUUID());
    expect(s.state.status).toBe("SETTLED");
    expect(s.events[0]).toMatchObject({ type: "RiderFeeSettled", data: { feeKrw: 3500 } });
    expect(() => settleRiderFee(s.state, randomUUID(), randomUUID(), randomUUID())).toThrow(DomainError);
    expect(cancelRiderFee(s.state)).toBeNull();
    expect(cancelRiderFee(fee)?.state.status).toBe("CANCELLED");
  });

  it("a fee cancelled by a cancellation that lost the race against the pickup is still settled, once", () => {
    const fee = {
      id: randomUUID(),
      orderId: randomUUID(),
      shopId: randomUUID(),
      feeKrw: 3500,
      status: "REGISTERED" as const,
    };
    const cancelled = cancelRiderFee(fee)!.state;
    const s = settleRiderFee(cancelled, randomUUID(), randomUUID(), randomUUID());
    expect(s.state.status).toBe("SETTLED");
    expect(s.ledger.map((l) => [l.kind, l.amountKrw])).toEqual([
      ["RIDER_FEE_REINSTATED", 3500],
      ["RIDER_SETTLEMENT", 3500],
    ]);
    expect(() => settleRiderFee(s.state, randomUUID(), randomUUID(), randomUUID())).toThrow(DomainError);
  });
});
