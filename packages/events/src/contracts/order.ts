import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { cancelledBy, freeText, isoTime, krw, orderLine, orderStatus, uuid } from "./common.js";

const source = "order";
const byOrder = (d: { orderId: string }) => ({ orderId: d.orderId, key: d.orderId });

/**
 * Every order event carries the order's status after the change and its per-order sequence
 * number, so a read model can apply events in any order and keep the newest.
 */
const orderChange = z.object({
  orderId: uuid,
  customerId: uuid,
  shopId: uuid,
  seq: z.number().int().positive(),
  status: orderStatus,
  at: isoTime,
});

export const OrderPlaced = defineEvent({
  type: "OrderPlaced",
  source,
  schema: orderChange.extend({
    shopName: freeText(),
    shopAddress: freeText(),
    lines: z.array(orderLine).min(1),
    itemsTotalKrw: krw,
    deliveryFeeKrw: krw,
    totalKrw: krw,
    deliveryAddress: freeText(),
    phone: freeText(),
    note: freeText({ multiline: true }),
  }),
  keyOf: byOrder,
});

export const OrderAccepted = defineEvent({
  type: "OrderAccepted",
  source,
  schema: orderChange.extend({ prepMinutes: z.number().int().positive(), etaAt: isoTime }),
  keyOf: byOrder,
});

export const OrderCookingStarted = defineEvent({
  type: "OrderCookingStarted",
  source,
  schema: orderChange,
  keyOf: byOrder,
});

export const OrderReady = defineEvent({ type: "OrderReady", source, schema: orderChange, keyOf: byOrder });

export const OrderRiderAssigned = defineEvent({
  type: "OrderRiderAssigned",
  source,
  schema: orderChange.extend({ riderCallId: uuid, riderId: uuid, riderName: freeText() }),
  keyOf: byOrder,
});

export const OrderPickedUp = defineEvent({ type: "OrderPickedUp", source, schema: orderChange, keyOf: byOrder });

export const OrderDelivered = defineEvent({
  type: "OrderDelivered",
  source,
  schema: orderChange,
  keyOf: byOrder,
});

export const OrderCancelled = defineEvent({
  type: "OrderCancelled",
  source,
  schema: orderChange.extend({
    cancelledBy,
    reason: freeText({ multiline: true }),
    /** What payment must give back: the whole charged amount. */
    refundKrw: krw,
  }),
  keyOf: byOrder,
});

/** The refund for a cancelled order went through (status stays CANCELLED). */
export const OrderRefunded = defineEvent({
  type: "OrderRefunded",
  source,
  schema: orderChange.extend({ refundKrw: krw }),
  keyOf: byOrder,
});
