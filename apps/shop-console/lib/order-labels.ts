import type { Tone } from "@/components/ui/badge";
import { formatWon } from "./format";
import type { HistoryEntry } from "./trpc";

export const orderStatusLabel: Record<string, { label: string; tone: Tone }> = {
  PLACED: { label: "주문 접수 대기", tone: "orange" },
  ACCEPTED: { label: "가게 접수", tone: "amber" },
  COOKING: { label: "조리 중", tone: "sky" },
  READY: { label: "조리 완료", tone: "violet" },
  RIDER_ASSIGNED: { label: "라이더 배정", tone: "indigo" },
  PICKED_UP: { label: "배달 중", tone: "indigo" },
  DELIVERED: { label: "배달 완료", tone: "emerald" },
  CANCELLED: { label: "취소", tone: "rose" },
};

const sourceLabel: Record<string, string> = { order: "주문", store: "가게", delivery: "배달", payment: "결제" };
export const historySource = (s: string) => sourceLabel[s] ?? s;

const by = { CUSTOMER: "고객", SHOP: "가게", ADMIN: "고객센터" } as Record<string, string>;

/** One line of an order's event history, in Korean, from the event's type and data. */
export function describeEvent(e: HistoryEntry): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const won = (k: string) => (typeof d[k] === "number" ? formatWon(d[k] as number) : "");
  switch (e.type) {
    case "OrderPlaced":
      return `주문 접수 · 결제 ${won("totalKrw")}`;
    case "OrderAccepted":
      return `가게가 주문을 접수 (조리 ${d.prepMinutes}분)`;
    case "OrderCookingStarted":
      return "조리 시작";
    case "OrderReady":
      return "조리 완료";
    case "OrderRiderAssigned":
      return `라이더 배정: ${d.riderName}`;
    case "OrderPickedUp":
      return "라이더 픽업";
    case "OrderDelivered":
      return "배달 완료";
    case "OrderCancelled":
      return `주문 취소 (${by[String(d.cancelledBy)] ?? d.cancelledBy}) · 사유: ${d.reason}`;
    case "OrderRefunded":
      return `환불 반영 ${won("refundKrw")}`;
    case "TicketAccepted":
      return `주방 티켓 접수 (조리 ${d.prepMinutes}분)`;
    case "TicketRejected":
      return `가게가 주문 거절 · 사유: ${d.reason}`;
    case "TicketCookingStarted":
      return "주방 조리 시작";
    case "TicketReady":
      return "주방 조리 완료";
    case "TicketCancelled":
      return "주방 티켓 취소";
    case "RiderCallRequested":
      return `라이더 호출 · 배달비 ${won("feeKrw")} · ${d.destination}`;
    case "RiderCallOpened":
      return "배달 콜 등록";
    case "RiderCallAccepted":
      return `라이더 수락: ${d.riderName}`;
    case "RiderCallPickedUp":
      return "라이더 픽업 완료";
    case "RiderCallCompleted":
      return `배달 완료 · 배달비 ${won("feeKrw")}`;
    case "RiderCallCancelled":
      return `배달 콜 취소 · ${d.riderId ? "배정된 라이더에게 알림" : "배정 전"}`;
    case "PaymentRefunded":
      return `결제 환불 ${won("amountKrw")}`;
    case "PaymentVoided":
      return `승인 취소 ${won("amountKrw")}`;
    case "RiderFeeRegistered":
      return `배달비 등록 ${won("feeKrw")}`;
    case "RiderFeeWithdrawn":
      return `배달비 등록 취소 ${won("feeKrw")} (라이더 호출 실패)`;
    case "RiderFeeSettled":
      return `라이더 배달비 정산 ${won("feeKrw")}`;
    default:
      return e.type;
  }
}
