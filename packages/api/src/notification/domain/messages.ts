import type { CancelledBy, DeliveryEvent, OrderEvent } from "@baedal/events";

type RecipientRole = "CUSTOMER" | "SHOP_OWNER" | "RIDER";

/** A notification to create, before it has an id. */
export interface NotificationDraft {
  recipientId: string;
  recipientRole: RecipientRole;
  orderId: string | null;
  kind: string;
  title: string;
  body: string;
  /** When the thing it tells about happened. */
  at: string;
}

const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;
/** Built once: a DateTimeFormat per message cost 1.3 % of notification's CPU (lifecycle profile). */
const seoulClock = new Intl.DateTimeFormat("ko-KR", {
  timeZone: "Asia/Seoul",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const seoulTime = (iso: string) => seoulClock.format(new Date(iso));
/** Who cancelled, as a sentence ("고객님이 주문을 취소했습니다"). */
function cancelSentence(by: CancelledBy, toCustomer: boolean): string {
  if (by === "CUSTOMER") return toCustomer ? "고객님이 주문을 취소했습니다" : "고객이 주문을 취소했습니다";
  if (by === "SHOP") return "가게에서 주문을 거절했습니다";
  return "고객센터에서 주문을 취소했습니다";
}

type Text = { title: string; body: string };

/** What the customer is told of an order event (each case reads its own contract's data). */
function customerText(event: OrderEvent): Text | null {
  switch (event.type) {
    case "OrderPlaced":
      return {
        title: "주문이 접수되었습니다",
        body: `${event.data.shopName}에 ${won(event.data.totalKrw)} 주문이 접수되었습니다.`,
      };
    case "OrderAccepted":
      return {
        title: "가게에서 주문을 수락했습니다",
        body: `조리 예상 시간은 ${event.data.prepMinutes}분, 도착 예정 시각은 ${seoulTime(event.data.etaAt)}입니다.`,
      };
    case "OrderCookingStarted":
      return { title: "조리를 시작했습니다", body: "가게에서 음식을 조리하고 있습니다." };
    case "OrderReady":
      return { title: "조리가 완료되었습니다", body: "음식이 준비되어 라이더를 기다리고 있습니다." };
    case "OrderRiderAssigned":
      return {
        title: "라이더가 배정되었습니다",
        body: `${event.data.riderName} 라이더가 음식을 가지러 갑니다.`,
      };
    case "OrderPickedUp":
      return { title: "배달을 시작했습니다", body: "라이더가 음식을 픽업해 고객님께 가고 있습니다." };
    case "OrderDelivered":
      return { title: "배달이 완료되었습니다", body: "맛있게 드세요!" };
    case "OrderCancelled":
      return {
        title: "주문이 취소되었습니다",
        body: `${cancelSentence(event.data.cancelledBy, true)} (사유: ${event.data.reason}). 결제 금액 ${won(event.data.refundKrw)}은 환불됩니다.`,
      };
    case "OrderRefunded":
      return { title: "환불이 완료되었습니다", body: `${won(event.data.refundKrw)}이 환불되었습니다.` };
    default:
      // Every order event has a case; a type no order contract has (the types keep it out) tells nobody.
      return null;
  }
}

/** The notifications one order event causes: one for the customer; a cancellation also tells the shop. */
export function notificationsForOrderEvent(event: OrderEvent): NotificationDraft[] {
  const d = event.data;
  const text = customerText(event);
  if (!text) return [];
  const out: NotificationDraft[] = [
    {
      recipientId: d.customerId,
      recipientRole: "CUSTOMER",
      orderId: d.orderId,
      kind: event.type,
      at: d.at,
      ...text,
    },
  ];
  if (event.type === "OrderCancelled") {
    out.push({
      recipientId: d.shopId,
      recipientRole: "SHOP_OWNER",
      orderId: d.orderId,
      kind: event.type,
      at: d.at,
      title: "주문이 취소되었습니다",
      body: `${cancelSentence(event.data.cancelledBy, false)} (사유: ${event.data.reason}). 고객 결제 금액 ${won(event.data.refundKrw)}은 환불 처리됩니다.`,
    });
  }
  return out;
}

/** A cancelled rider call tells the rider who had accepted it. */
export function notificationsForDeliveryEvent(event: DeliveryEvent): NotificationDraft[] {
  if (event.type !== "RiderCallCancelled") return [];
  const d = event.data;
  if (!d.riderId) return [];
  return [
    {
      recipientId: d.riderId,
      recipientRole: "RIDER",
      orderId: d.orderId,
      kind: event.type,
      at: event.occurredAt,
      title: "배차가 취소되었습니다",
      body: `수락하신 배달 요청이 취소되었습니다 (사유: ${d.reason}). 픽업하러 가지 않으셔도 됩니다.`,
    },
  ];
}
