import type { StoredCall } from "./rider-call.js";

/** A rider call as the rider screens show it (pure: what the service returns and the rider feed carries). */
export type RiderCallView = ReturnType<typeof callView>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const callView = (c: StoredCall) => ({
  id: c.id,
  orderId: c.orderId,
  shopId: c.shopId,
  shopName: c.shopName,
  pickupAddress: c.pickupAddress,
  destination: c.destination,
  feeKrw: c.feeKrw,
  status: c.status,
  riderId: c.riderId,
  riderName: c.riderName,
  cancelReason: c.cancelReason,
  settlementStatus: c.settlementStatus,
  createdAt: c.createdAt.toISOString(),
  acceptedAt: iso(c.acceptedAt),
  pickedUpAt: iso(c.pickedUpAt),
  completedAt: iso(c.completedAt),
});

/** What every rider may see of a call: where and how much, never who took it. */
export const publicCallView = (c: StoredCall): RiderCallView => ({
  ...callView(c),
  riderId: null,
  riderName: null,
  cancelReason: null,
  settlementStatus: null,
  acceptedAt: null,
  pickedUpAt: null,
  completedAt: null,
});
