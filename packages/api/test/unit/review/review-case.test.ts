import { describe, expect, it } from "vitest";
import { approveCase, closeCase, importApprovedCase, openCase, rejectCase } from "../../../src/review/domain/review-case.js";
import { DomainError } from "../../../src/platform/errors.js";

const CASE = "11111111-1111-4111-8111-111111111111";
const ITEM = "22222222-2222-4222-8222-222222222222";
const SHOP = "33333333-3333-4333-8333-333333333333";
const ADMIN = "44444444-4444-4444-8444-444444444444";
const now = new Date("2025-01-01T00:00:00Z");
const open = () =>
  openCase(
    CASE,
    {
      menuItemId: ITEM,
      shopId: SHOP,
      revision: 2,
      name: "광어회",
      description: "",
      priceKrw: 33_000,
      category: "회",
      imageUrl: null,
    },
    now,
  ).state;

describe("review case", () => {
  it("opens OPEN with the submitted revision", () => {
    expect(open()).toMatchObject({ status: "OPEN", revision: 2, decidedBy: null });
  });

  it("approve records the decision and emits ReviewCaseApproved for that revision", () => {
    const t = approveCase(open(), ADMIN, now);
    expect(t.state).toMatchObject({ status: "APPROVED", decidedBy: ADMIN, decidedAt: now });
    expect(t.events.map((e) => e.type)).toEqual(["ReviewCaseApproved"]);
    expect(t.events[0]!.data).toEqual({ reviewCaseId: CASE, menuItemId: ITEM, revision: 2 });
  });

  it("an imported case is the same case, already approved, and causes no event", () => {
    const { id: _i, status: _s, reason: _r, decidedBy: _b, decidedAt: _a, createdAt: _c, ...submission } = open();
    expect(importApprovedCase(CASE, submission, ADMIN, now)).toEqual(approveCase(open(), ADMIN, now).state);
  });

  it("reject needs a reason and emits ReviewCaseRejected with it", () => {
    expect(() => rejectCase(open(), ADMIN, "  ", now)).toThrow(DomainError);
    const t = rejectCase(open(), ADMIN, " 사진 불일치 ", now);
    expect(t.state).toMatchObject({ status: "REJECTED", reason: "사진 불일치" });
    expect(t.events[0]!.data).toMatchObject({ reason: "사진 불일치", revision: 2 });
  });

  it("deciding a case that is not OPEN is a CONFLICT", () => {
    const approved = approveCase(open(), ADMIN, now).state;
    for (const decide of [
      () => approveCase(approved, ADMIN, now),
      () => rejectCase(approved, ADMIN, "x", now),
    ]) {
      expect(decide).toThrow(expect.objectContaining({ code: "CONFLICT" }));
    }
    const closed = closeCase(open(), now).state;
    expect(() => approveCase(closed, ADMIN, now)).toThrow(/CLOSED/);
  });

  it("withdrawal closes an open case and leaves a decided one alone", () => {
    expect(closeCase(open(), now).state.status).toBe("CLOSED");
    const approved = approveCase(open(), ADMIN, now).state;
    expect(closeCase(approved, now).state).toBe(approved);
  });
});
