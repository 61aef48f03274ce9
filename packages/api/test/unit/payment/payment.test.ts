import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { passesLuhn, sandboxCards } from "../../../src/payment/domain/cards.js";
import { cancelRiderFee, refund, settleRiderFee, voidAuthorization, type PaymentState } from "../../../src/payment/domain/payment.js";
import { DomainError } from "../../../src/platform/errors.js";

const authorized = (): PaymentState => ({ id: randomUUID(), orderId: randomUUID(), amountKrw: 62000, status: "AUTHORIZED" });

describe("payment domain", () => {
  it("every sandbox card passes the Luhn check; typos do not", () => {
    for (const card of Object.values(sandboxCards)) expect(passesLuhn(card)).toBe(true);
    expect(passesLuhn("4242424242424241")).toBe(false);
    expect(passesLuhn("42424242")).toBe(false);
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
    expect(t.refundAtGateway).toBe(true);
  });

  it("a rider fee settles once and cannot be cancelled afterwards", () => {
    const fee = { id: randomUUID(), orderId: randomUUID(), shopId: randomUUID(), feeKrw: 3500, status: "REGISTERED" as const };
    const s = settleRiderFee(fee, randomUUID(), randomUUID(), randomUUID());
    expect(s.state.status).toBe("SETTLED");
    expect(s.events[0]).toMatchObject({ type: "RiderFeeSettled", data: { feeKrw: 3500 } });
    expect(() => settleRiderFee(s.state, randomUUID(), randomUUID(), randomUUID())).toThrow(DomainError);
    expect(cancelRiderFee(s.state)).toBeNull();
    expect(cancelRiderFee(fee)?.state.status).toBe("CANCELLED");
  });

  it("a fee cancelled by a cancellation that lost the race against the pickup is still settled, once", () => {
    const fee = { id: randomUUID(), orderId: randomUUID(), shopId: randomUUID(), feeKrw: 3500, status: "REGISTERED" as const };
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
