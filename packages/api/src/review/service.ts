import { DomainError, notFound } from "../platform/errors.js";
import type { ContextRuntime } from "../platform/runtime.js";
import { ReviewRepo, type QueueEntry } from "./adapters/review-repo.js";
import { approveCase, rejectCase, type ReviewCase } from "./domain/review-case.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

export type ReviewRuntime = ContextRuntime<PrismaClient, Prisma.TransactionClient>;

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

  private decide(caseId: string, transition: (c: ReviewCase) => ReturnType<typeof approveCase>) {
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
}
