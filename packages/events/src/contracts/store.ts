import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { freeText, krw, uuid } from "./common.js";

const source = "store";
const byOrder = (d: { orderId: string }) => ({ orderId: d.orderId, key: d.orderId });
const ticketChange = z.object({ ticketId: uuid, orderId: uuid, shopId: uuid });

export const TicketAccepted = defineEvent({
  type: "TicketAccepted",
  source,
  schema: ticketChange.extend({ prepMinutes: z.number().int().positive() }),
  keyOf: byOrder,
});

export const TicketRejected = defineEvent({
  type: "TicketRejected",
  source,
  schema: ticketChange.extend({ reason: freeText({ min: 1, multiline: true }) }),
  keyOf: byOrder,
});

export const TicketCookingStarted = defineEvent({
  type: "TicketCookingStarted",
  source,
  schema: ticketChange,
  keyOf: byOrder,
});

export const TicketReady = defineEvent({ type: "TicketReady", source, schema: ticketChange, keyOf: byOrder });

export const TicketCancelled = defineEvent({
  type: "TicketCancelled",
  source,
  schema: ticketChange.extend({ reason: freeText({ multiline: true }) }),
  keyOf: byOrder,
});

/** The shop asked for a rider; the fee is already registered in payment. */
export const RiderCallRequested = defineEvent({
  type: "RiderCallRequested",
  source,
  schema: ticketChange.extend({
    shopName: freeText(),
    pickupAddress: freeText(),
    destination: freeText(),
    feeKrw: krw,
  }),
  keyOf: byOrder,
});
