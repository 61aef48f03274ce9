import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { freeText, uuid } from "./common.js";

const source = "review";
const byItem = (d: { menuItemId: string }) => ({ orderId: null, key: d.menuItemId });

export const ReviewCaseApproved = defineEvent({
  type: "ReviewCaseApproved",
  source,
  schema: z.object({ reviewCaseId: uuid, menuItemId: uuid, revision: z.number().int().positive() }),
  keyOf: byItem,
});

export const ReviewCaseRejected = defineEvent({
  type: "ReviewCaseRejected",
  source,
  schema: z.object({
    reviewCaseId: uuid,
    menuItemId: uuid,
    revision: z.number().int().positive(),
    reason: freeText({ min: 1, multiline: true }),
  }),
  keyOf: byItem,
});
