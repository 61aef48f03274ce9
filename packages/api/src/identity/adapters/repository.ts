import type { Prisma, PrismaClient } from "../generated/client.js";
import { asRole, type ImportedAccount, type User } from "../domain/user.js";

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

  /**
   * Writes accounts that are not there yet (by id; an existing user or account is left as it
   * is): the user row and its Better Auth "credential" account. Returns how many users were new.
   */
  async insertIfAbsent(
    accounts: (Omit<ImportedAccount, "password"> & { passwordHash: string })[],
  ): Promise<number> {
    const users = await this.db.user.createMany({
      data: accounts.map((a) => ({
        id: a.id,
        email: a.email,
        name: a.name,
        role: a.role,
        shopId: a.shopId,
        phone: a.phone,
      })),
      skipDuplicates: true,
    });
    await this.db.account.createMany({
      data: accounts.map((a) => ({
        id: a.credentialId,
        accountId: a.id,
        providerId: "credential",
        userId: a.id,
        password: a.passwordHash,
      })),
      skipDuplicates: true,
    });
    return users.count;
  }
}
