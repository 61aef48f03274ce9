import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as ticket from "../../../src/store/domain/ticket.js";
import type { Ticket } from "../../../src/store/domain/ticket.js";

const ready = (): Ticket => {
  const t = ticket.openTicket(randomUUID(), {
    orderId: randomUUID(),
    shopId: randomUUID(),
    shopName: "바다회센터",
    shopAddress: "서울 마포구 월드컵북로 12",
    lines: [{ menuItemId: randomUUID(), name: "광어회", unitPriceKrw: 32_000, quantity: 1 }],
    itemsTotalKrw: 32_000,
    totalKrw: 35_000,
    deliveryAddress: "서울 마포구 월드컵북로 396",
    phone: "010-1234-5678",
    note: "",
  });
  return { ...t, status: "READY" };
};

describe("the board follows a ticket out of the door", () => {
  it("puts each ticket in its column", () => {
    const t = ready();
    expect(ticket.boardColumn({ ...t, status: "NEW" })).toBe("NEW");
    expect(ticket.boardColumn(t)).toBe("READY");
    expect(ticket.boardColumn({ ...t, deliveryStatus: "RIDER_ASSIGNED" })).toBe("WITH_RIDER");
    expect(ticket.boardColumn({ ...t, deliveryStatus: "PICKED_UP" })).toBe("WITH_RIDER");
    expect(ticket.boardColumn({ ...t, deliveryStatus: "DELIVERED" })).toBe("DONE");
    expect(ticket.boardColumn({ ...t, status: "CANCELLED" })).toBe("CANCELLED");
    expect(ticket.boardColumn({ ...t, status: "REJECTED" })).toBe("CANCELLED");
  });

  it("moves delivery progress only forward, whatever order the events come in", () => {
    const assigned = ticket.trackDelivery(ready(), "RIDER_ASSIGNED", "박라이더");
    expect(assigned).toMatchObject({ deliveryStatus: "RIDER_ASSIGNED", riderName: "박라이더" });
    const delivered = ticket.trackDelivery(assigned, "DELIVERED");
    expect(delivered).toMatchObject({ deliveryStatus: "DELIVERED", riderName: "박라이더" });
    // A late or repeated event is old news: the very same object comes back (nothing to save).
    expect(ticket.trackDelivery(delivered, "PICKED_UP")).toBe(delivered);
    expect(ticket.trackDelivery(delivered, "DELIVERED")).toBe(delivered);
  });

  it("does not move a closed ticket", () => {
    const cancelled: Ticket = { ...ready(), status: "CANCELLED" };
    expect(ticket.trackDelivery(cancelled, "RIDER_ASSIGNED", "x")).toBe(cancelled);
  });

  it("remembers who cancelled and the refund, once", () => {
    const { state } = ticket.cancel({ ...ready(), status: "ACCEPTED" }, "고객 요청", null, "CUSTOMER");
    expect(state).toMatchObject({ status: "CANCELLED", cancelReason: "고객 요청", cancelledBy: "CUSTOMER" });
    const refunded = ticket.recordRefund(state, 35_000);
    expect(refunded.refundedKrw).toBe(35_000);
    expect(ticket.recordRefund(refunded, 1)).toBe(refunded);
  });
});
