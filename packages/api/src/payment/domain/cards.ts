/**
 * Sandbox test cards, behaving like a card processor's test mode. Any other number that passes
 * the Luhn check is approved.
 */
export const sandboxCards = {
  approve: "4242424242424242",
  insufficientFunds: "4000000000009995",
  declined: "4000000000000002",
  slow: "4000000000000119",
} as const;

export function passesLuhn(cardNumber: string): boolean {
  if (!/^\d{12,19}$/.test(cardNumber)) return false;
  let sum = 0;
  for (let i = 0; i < cardNumber.length; i++) {
    let d = Number(cardNumber[cardNumber.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type DeclineCode = "INSUFFICIENT_FUNDS" | "CARD_DECLINED" | "INVALID_CARD";

export const declineMessages: Record<DeclineCode, string> = {
  INSUFFICIENT_FUNDS: "Your card was declined: insufficient funds",
  CARD_DECLINED: "Your card was declined by the issuer",
  INVALID_CARD: "The card number is not valid",
};

/** Payment's answers when the card processor made no decision: nothing was charged either way. */
export const noDecisionMessages = {
  ISSUER_TIMEOUT: "Your card's issuer did not answer in time. Nothing was charged — try again or use another card",
  GATEWAY_UNAVAILABLE: "Card payments are not going through for a moment. Nothing was charged — please try again shortly",
  PAYMENT_OVERLOADED: "Payment is busy right now. Nothing was charged — please try again shortly",
} as const;
