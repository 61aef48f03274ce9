import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { freeText, uuid } from "./common.js";

export const recipientRole = z.enum(["CUSTOMER", "SHOP_OWNER", "RIDER", "ADMIN"]);

export const NotificationCreated = defineEvent({
  type: "NotificationCreated",
  source: "notification",
  schema: z.object({
    notificationId: uuid,
    recipientId: uuid,
    recipientRole,
    orderId: uuid.nullable(),
    kind: freeText(),
    title: freeText(),
    body: freeText({ multiline: true }),
  }),
  keyOf: (d) => ({ orderId: d.orderId, key: d.recipientId }),
});
