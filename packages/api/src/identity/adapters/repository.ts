import type { Prisma, PrismaClient } from "../generated/client.js";
import { asRole, type User } from "../domain/user.js";

type Db = PrismaClient | Prisma.TransactionClient;

export class UserRepo {
  constructor(private readonly db: Db) {}

  async byId(id: string): Promise<User | null> {
    const r = await this.db.user.findUnique({
      where: { id },
      select: { id: true, email: true, name: true, role: true, shopId: true, phone: true, createdAt: true },
    });
    return r ? { ...r, role: asRole(r.role) } : null;
  }

  /** Deletes Better Auth's session rows by id (a signed-out session's token stops working too). */
  async deleteSessions(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.db.session.deleteMany({ where: { id: { in: ids } } });
  }
}
