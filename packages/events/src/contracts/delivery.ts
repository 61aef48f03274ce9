import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { freeText, krw, uuid } from "./common.js";

const source = "delivery";
const byOrder = (d: { orderId: string }) => ({ orderId: d.orderId, key: d.orderId });
const callChange = z.object({ riderCallId: uuid, orderId: uuid, shopId: uuid });

export const RiderCallOpened = defineEvent({
  type: "RiderCallOpened",
  source,
  schema: callChange.extend({
    shopName: freeText(),
    pickupAddress: freeText(),
    destination: freeText(),
    feeKrw: krw,
  }),
  keyOf: byOrder,
});

export const RiderCallAccepted = defineEvent({
  type: "RiderCallAccepted",
  source,
  schema: callChange.extend({ riderId: uuid, riderName: freeText() }),
  keyOf: byOrder,
});

export const RiderCallPickedUp = defineEvent({
  type: "RiderCallPickedUp",
  source,
  schema: callChange.extend({ riderId: uuid }),
  keyOf: byOrder,
});

export const RiderCallCompleted = defineEvent({
  type: "RiderCallCompleted",
  source,
  schema: callChange.extend({ riderId: uuid, feeKrw: krw }),
  keyOf: byOrder,
});

export const RiderCallCancelled = defineEvent({
  type: "RiderCallCancelled",
  source,
  schema: callChange.extend({ riderId: uuid.nullable(), reason: freeText({ multiline: true }) }),
  keyOf: byOrder,
});
