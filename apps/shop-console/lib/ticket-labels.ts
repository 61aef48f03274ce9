import type { Ticket } from "./trpc";
import { formatWon } from "./format";

const cancelledByLabel = { CUSTOMER: "고객 취소", SHOP: "가게 거절", ADMIN: "고객센터 취소" } as const;

/** How a finished ticket ended, in the words on its card: "고객 취소 · 환불 완료 35,000원". */
export function outcomeOf(t: Ticket): { label: string; tone: "emerald" | "rose" | "slate"; detail: string | null } {
  if (t.column === "DONE") return { label: "배달 완료", tone: "emerald", detail: t.riderName ? `배달: ${t.riderName}` : null };
  const who = t.status === "REJECTED" ? "가게 거절" : t.cancelledBy ? cancelledByLabel[t.cancelledBy] : "주문 취소";
  const refund = t.refundedKrw !== null ? `환불 완료 ${formatWon(t.refundedKrw)}` : "환불 처리 중";
  const reason = t.rejectReason ?? t.cancelReason;
  return { label: `${who} · ${refund}`, tone: "rose", detail: reason ? (defaultReasons[reason] ?? reason) : null };
}

/** The API's default reasons (written when the person gave none), in the board's language. */
const defaultReasons: Record<string, string> = { "Cancelled by customer": "고객 요청" };

export const deliveryLabel = (t: Ticket) =>
  t.deliveryStatus === "RIDER_ASSIGNED" ? "픽업하러 오는 중" : t.deliveryStatus === "PICKED_UP" ? "배달 중" : null;
