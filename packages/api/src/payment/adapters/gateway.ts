import type { Prisma, PrismaClient } from "../generated/client.js";
import { declineMessages, passesLuhn, sandboxCards, type DeclineCode } from "../domain/cards.js";

export type ChargeResult =
  | { approved: true; reference: string }
  | { approved: false; code: DeclineCode; message: string };

/** The port to a card processor. Both calls are idempotent by key. */
export interface CardGateway {
  charge(req: { key: string; amountKrw: number; cardNumber: string }): Promise<ChargeResult>;
  refund(key: string): Promise<void>;
}

/**
 * Test-mode card processor: approves, declines (insufficient funds / issuer decline) or answers
 * slowly depending on the card number, and keeps its own books so a retried charge with the
 * same key is not charged twice.
 */
export class SandboxGateway implements CardGateway {
  constructor(
    private readonly db: PrismaClient | Prisma.TransactionClient,
    private readonly slowMs: number,
  ) {}

  async charge(req: { key: string; amountKrw: number; cardNumber: string }): Promise<ChargeResult> {
    const decline = (code: DeclineCode): ChargeResult => ({ approved: false, code, message: declineMessages[code] });
    if (!passesLuhn(req.cardNumber)) return decline("INVALID_CARD");
    if (req.cardNumber === sandboxCards.insufficientFunds) return decline("INSUFFICIENT_FUNDS");
    if (req.cardNumber === sandboxCards.declined) return decline("CARD_DECLINED");
    if (req.cardNumber === sandboxCards.slow) await new Promise((r) => setTimeout(r, this.slowMs));
    // Idempotent by key: a retried charge finds the first one.
    await this.db.sandboxCharge.createMany({
      data: [{ idempotencyKey: req.key, amountKrw: req.amountKrw, cardLast4: req.cardNumber.slice(-4), status: "APPROVED" }],
      skipDuplicates: true,
    });
    return { approved: true, reference: `sbx_${req.key.slice(0, 8)}` };
  }

  async refund(key: string): Promise<void> {
    await this.db.sandboxCharge.updateMany({
      where: { idempotencyKey: key, status: "APPROVED" },
      data: { status: "REFUNDED", refundedAt: new Date() },
    });
  }
}
