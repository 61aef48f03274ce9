import { createEvent, ReviewEvents } from "@baedal/events";
import { DomainError, illegalTransition } from "../../platform/errors.js";
import type { Transition } from "../../platform/transition.js";

export const caseStatuses = ["OPEN", "APPROVED", "REJECTED", "CLOSED"] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** One submitted revision of a menu item, waiting for (or carrying) the platform's decision. */
export interface ReviewCase {
  id: string;
  menuItemId: string;
  shopId: string;
  revision: number;
  name: string;
  description: string;
  priceKrw: number;
  category: string;
  imageUrl: string | null;
  status: CaseStatus;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export interface Submission {
  menuItemId: string;
  shopId: string;
  revision: number;
  name: string;
  description: string;
  priceKrw: number;
  category: string;
  imageUrl: string | null;
}

/** A review case's next state and the events it causes. */
export type ReviewCaseTransition = Transition<ReviewCase>;

export function openCase(id: string, s: Submission, now: Date): ReviewCaseTransition {
  return {
    state: { id, ...s, status: "OPEN", reason: null, decidedBy: null, decidedAt: null, createdAt: now },
    events: [],
  };
}

/**
 * A case decided before it came here (imported with the demo data): approved by `adminId` at `now`.
 * Its approval happened elsewhere, so it causes no event (catalog already has the item listed).
 */
export function importApprovedCase(id: string, s: Submission, adminId: string, now: Date): ReviewCase {
  return { ...openCase(id, s, now).state, status: "APPROVED", decidedBy: adminId, decidedAt: now };
}

const mustBeOpen = (c: ReviewCase, action: string) => {
  if (c.status !== "OPEN") throw illegalTransition("Review case", c.status, action);
};

export function approveCase(c: ReviewCase, adminId: string, now: Date): ReviewCaseTransition {
  mustBeOpen(c, "approve");
  const state: ReviewCase = { ...c, status: "APPROVED", decidedBy: adminId, decidedAt: now };
  const event = createEvent(ReviewEvents.ReviewCaseApproved, {
    reviewCaseId: c.id,
    menuItemId: c.menuItemId,
    revision: c.revision,
  });
  return { state, events: [event] };
}

export function rejectCase(c: ReviewCase, adminId: string, reason: string, now: Date): ReviewCaseTransition {
  mustBeOpen(c, "reject");
  const why = reason.trim();
  if (!why) throw new DomainError("BAD_REQUEST", "A rejection needs a reason", "REASON_REQUIRED");
  const state: ReviewCase = { ...c, status: "REJECTED", reason: why, decidedBy: adminId, decidedAt: now };
  const event = createEvent(ReviewEvents.ReviewCaseRejected, {
    reviewCaseId: c.id,
    menuItemId: c.menuItemId,
    revision: c.revision,
    reason: why,
  });
  return { state, events: [event] };
}

/** The owner withdrew the revision: an open case closes; a decided one stays as it was. */
export function closeCase(c: ReviewCase, now: Date): ReviewCaseTransition {
  if (c.status !== "OPEN") return { state: c, events: [] };
  return { state: { ...c, status: "CLOSED", decidedAt: now }, events: [] };
}
