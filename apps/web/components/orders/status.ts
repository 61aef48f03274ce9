import type { OrderStatus } from "@/lib/trpc";

/** The happy path, in order; a cancelled order stops somewhere along it. */
export const progressSteps = ["PLACED", "ACCEPTED", "COOKING", "READY", "RIDER_ASSIGNED", "PICKED_UP", "DELIVERED"] as const;
export type Step = (typeof progressSteps)[number] | "CANCELLED" | "REFUNDED";

/** Which step each order event marks. */
export const stepOfEvent: Record<string, Step> = {
  OrderPlaced: "PLACED",
  OrderAccepted: "ACCEPTED",
  OrderCookingStarted: "COOKING",
  OrderReady: "READY",
  OrderRiderAssigned: "RIDER_ASSIGNED",
  OrderPickedUp: "PICKED_UP",
  OrderDelivered: "DELIVERED",
  OrderCancelled: "CANCELLED",
  OrderRefunded: "REFUNDED",
};

export function statusTone(status: OrderStatus): "brand" | "green" | "red" | "blue" {
  if (status === "DELIVERED") return "green";
  if (status === "CANCELLED") return "red";
  if (status === "RIDER_ASSIGNED" || status === "PICKED_UP") return "blue";
  return "brand";
}

/** Statuses after which a customer can no longer cancel (the shop is cooking or further). */
export const pastCancelling: OrderStatus[] = ["COOKING", "READY", "RIDER_ASSIGNED", "PICKED_UP"];
