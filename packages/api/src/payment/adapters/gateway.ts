import type { Prisma, PrismaClient } from "../generated/client.js";
import { insertOrSkip } from "../../platform/insert-or-skip.js";
import { contextSchemas } from "../../platform/schemas.js";
import { declineMessages, passesLuhn, sandboxCards, type DeclineCode } from "../domain/cards.js";

export type ChargeResult =
  | { approved: true; reference: string }
  | { approved: false; code: DeclineCode; message: string };

/** The port to a card processor. Both calls are idempotent by key. */
export interface CardGateway {
  /**
   * Throws when `signal` aborts before the processor answered (it may still have charged: refund
   * the key then). Bookkeeping after the processor's answer is not cut short by the signal.
   */
  charge(req: { key: string; amountKrw: number; cardNumber: string }, signal: AbortSignal): Promise<ChargeResult>;
  /**
   * Gives back whatever was charged under each key, and makes sure a charge still on its way
   * under that key cannot land afterwards (a processor's void-by-idempotency-key).
   */
  refund(keys: string[]): Promise<void>;
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

  async charge(req: { key: string; amountKrw: number; cardNumber: string }, signal: AbortSignal): Promise<ChargeResult> {
    const decline = (code: DeclineCode): ChargeResult => ({ approved: false, code, message: declineMessages[code] });
    if (!passesLuhn(req.cardNumber)) return decline("INVALID_CARD");
    if (req.cardNumber === sandboxCards.insufficientFunds) return decline("INSUFFICIENT_FUNDS");
    if (req.cardNumber === sandboxCards.declined) return decline("CARD_DECLINED");
    // The processor's latency: only the slow card has any (the issuer hangs).
    if (req.cardNumber === sandboxCards.slow) {
      await sleep(this.slowMs, signal);
      signal.throwIfAborted();
    }
    // Idempotent by key: a retried charge finds the first one; a refunded key stays refunded.
    const charge = { idempotencyKey: req.key, amountKrw: req.amountKrw, cardLast4: req.cardNumber.slice(-4), status: "APPROVED" };
    await insertOrSkip(this.db, { schema: contextSchemas.payment, name: "sandbox_charges" }, [charge]);
    return { approved: true, reference: `sbx_${req.key.slice(0, 8)}` };
  }

  async refund(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    // A key with no charge yet gets a REFUNDED row of nothing: the charge's insert then skips it.
    await this.db.$executeRaw`
      INSERT INTO payment.sandbox_charges (idempotency_key, amount_krw, card_last4, status, refunded_at)
      SELECT k, 0, '', 'REFUNDED', now() FROM unnest(${keys}::text[]) AS k
      ON CONFLICT (idempotency_key) DO UPDATE SET status = 'REFUNDED', refunded_at = now()
       WHERE sandbox_charges.status = 'APPROVED'`;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
