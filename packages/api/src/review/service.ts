import { randomUUID } from "node:crypto";
import { EventTooEarly, type EventEnvelope } from "@baedal/events";
import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { ReviewRepo, type QueueEntry } from "./adapters/repository.js";
import {
  approveCase,
  closeCase,
  importApprovedCase,
  openCase,
  rejectCase,
  type ReviewCase,
  type ReviewCaseTransition,
  type Submission,
} from "./domain/review-case.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

type Tx = Prisma.TransactionClient;
export type ReviewRuntime = ContextRuntime<PrismaClient, Tx>;

/** Review's commands and queries, and its reactions to catalog's events: the only caller of its repository. */
export class ReviewService {
  constructor(private readonly rt: ReviewRuntime) {}

  queue(): Promise<QueueEntry[]> {
    return new ReviewRepo(this.rt.db).queue();
  }

  approve(caseId: string, adminId: string): Promise<ReviewCase> {
    return this.decide(caseId, (c) => approveCase(c, adminId, new Date()));
  }

  reject(caseId: string, adminId: string, reason: string): Promise<ReviewCase> {
    return this.decide(caseId, (c) => rejectCase(c, adminId, reason, new Date()));
  }

  private decide(caseId: string, transition: (c: ReviewCase) => ReviewCaseTransition) {
    return this.rt.uow.run(async (tx) => {
      const repo = new ReviewRepo(tx);
      const c = await repo.byId(caseId);
      if (!c) throw notFound("Review case");
      const { state, events } = transition(c);
      if (!(await repo.saveFrom(c.status, state))) {
        throw new DomainError("CONFLICT", "This review case was decided meanwhile", "ALREADY_DECIDED");
      }
      return { result: state, events };
    });
  }

  /** A submitted revision opens its case (once per revision). */
  async openCase(tx: Tx, submission: Submission, at: Date): Promise<EventEnvelope[]> {
    const { state, events } = openCase(randomUUID(), submission, at);
    await new ReviewRepo(tx).insert(state);
    return events;
  }

  /** The shop's current name, for the queue. */
  async rememberShop(tx: Tx, shopId: string, name: string): Promise<EventEnvelope[]> {
    await new ReviewRepo(tx).rememberShop(shopId, name);
    return [];
  }

  /** The owner withdrew a revision: its open case closes. */
  async closeCase(tx: Tx, menuItemId: string, revision: number): Promise<EventEnvelope[]> {
    const repo = new ReviewRepo(tx);
    const c = await repo.byRevision(menuItemId, revision);
    // Submission and withdrawal travel on one ordered stream; a case not yet open arrives later.
    if (!c) throw new EventTooEarly(`no review case yet for ${menuItemId} revision ${revision}`);
    const { state, events } = closeCase(c, new Date());
    if (state !== c) await repo.saveFrom("OPEN", state);
    return events;
  }

  /**
   * Brings in revisions already approved by `adminId` (the demo data), one case each under the
   * given id, idempotently: a case whose id exists is left as it is. Emits no event (the approval
   * happened before). Returns how many cases were new.
   */
  importApproved(cases: { id: string; submission: Submission }[], adminId: string): Promise<number> {
    const now = new Date();
    return this.rt.uow.run(async (tx) => ({
      result: await new ReviewRepo(tx).insertIfAbsent(
        cases.map((c) => importApprovedCase(c.id, c.submission, adminId, now)),
      ),
      events: [],
    }));
  }
}
