import { caseStatuses, type CaseStatus, type ReviewCase } from "../domain/review-case.js";
import type { Prisma, PrismaClient } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";

type Db = PrismaClient | Prisma.TransactionClient;
const reviewCases = { schema: contextSchemas.review, name: "review_cases" };

export type QueueEntry = ReviewCase & {
  shopName: string | null;
  /** The version customers see now, when this case is a change to a listed item. */
  listed: { name: string; priceKrw: number } | null;
};
type Row = NonNullable<Awaited<ReturnType<PrismaClient["reviewCase"]["findUnique"]>>>;

const toCase = (r: Row): ReviewCase => {
  if (!(caseStatuses as readonly string[]).includes(r.status))
    throw new Error(`unexpected status ${r.status}`);
  return { ...r, status: r.status as CaseStatus };
};

export class ReviewRepo {
  constructor(private readonly db: Db) {}

  async open(limit = 200): Promise<ReviewCase[]> {
    const rows = await this.db.reviewCase.findMany({
      where: { status: "OPEN" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
    });
    return rows.map(toCase);
  }

  /** Open cases with their shop's name and, for a change to a listed item, what is listed now. */
  async queue(limit = 200): Promise<QueueEntry[]> {
    const cases = await this.open(limit);
    if (cases.length === 0) return [];
    const shops = await this.db.shop.findMany({ where: { shopId: { in: [...new Set(cases.map((c) => c.shopId))] } } });
    const names = new Map(shops.map((s) => [s.shopId, s.name]));
    const approved = await this.db.reviewCase.findMany({
      where: { menuItemId: { in: cases.map((c) => c.menuItemId) }, status: "APPROVED" },
      orderBy: { revision: "desc" },
    });
    return cases.map((c) => {
      const listed = approved.find((a) => a.menuItemId === c.menuItemId && a.revision < c.revision);
      return {
        ...c,
        shopName: names.get(c.shopId) ?? null,
        listed: listed ? { name: listed.name, priceKrw: listed.priceKrw } : null,
      };
    });
  }

  async rememberShop(shopId: string, name: string): Promise<void> {
    await this.db.shop.upsert({
      where: { shopId },
      create: { shopId, name },
      update: { name, updatedAt: new Date() },
    });
  }

  async byId(id: string): Promise<ReviewCase | null> {
    const r = await this.db.reviewCase.findUnique({ where: { id } });
    return r ? toCase(r) : null;
  }

  async byRevision(menuItemId: string, revision: number): Promise<ReviewCase | null> {
    const r = await this.db.reviewCase.findUnique({
      where: { menuItemId_revision: { menuItemId, revision } },
    });
    return r ? toCase(r) : null;
  }

  /** Inserts a case; a second case for the same item revision is ignored (returns false). */
  async insert(c: ReviewCase): Promise<boolean> {
    return (await insertOrSkip(this.db, reviewCases, [c])).length === 1;
  }

  /** Inserts the cases whose id is not there yet (the others are left as they are); returns how many. */
  async insertIfAbsent(cases: ReviewCase[]): Promise<number> {
    return (await insertOrSkip(this.db, reviewCases, cases)).length;
  }

  /** Stores a decision on a case that is still `from`; false when someone else changed it first. */
  async saveFrom(from: CaseStatus, c: ReviewCase): Promise<boolean> {
    const { count } = await this.db.reviewCase.updateMany({
      where: { id: c.id, status: from },
      data: { status: c.status, reason: c.reason, decidedBy: c.decidedBy, decidedAt: c.decidedAt },
    });
    return count === 1;
  }
}
