"use client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ago, formatTime, formatWon, shortId } from "@/lib/format";
import { deliveryLabel, outcomeOf } from "@/lib/ticket-labels";
import type { Ticket } from "@/lib/trpc";
import { MapPinIcon, MessageIcon, PhoneIcon, ScooterIcon } from "@/components/ui/icons";

export type TicketAction = "accept" | "reject" | "startCooking" | "markReady" | "callRider";

/**
 * One order on the board: what to cook, for whom, and the next step as one big button. New
 * orders not yet acknowledged pulse.
 */
export function TicketCard({
  ticket: t,
  unacknowledged,
  busy,
  onAction,
  now,
}: {
  ticket: Ticket;
  unacknowledged: boolean;
  busy: TicketAction | null;
  onAction: (action: TicketAction) => void;
  now: number;
}) {
  const closed = t.column === "DONE" || t.column === "CANCELLED";
  const items = t.lines.reduce((n, l) => n + l.quantity, 0);
  const outcome = closed ? outcomeOf(t) : null;
  return (
    <article
      data-testid="ticket"
      data-order-id={t.orderId}
      data-status={t.status}
      data-column={t.column}
      aria-label={`주문 ${shortId(t.orderId)}`}
      className={`rounded-2xl p-4 shadow-sm transition ${
        // An outline, not a ring: the attention pulse animates box-shadow, which rings are made of.
        unacknowledged ? "animate-attention bg-orange-50/60 outline-2 outline-brand-500" : "bg-white ring-1 ring-slate-200"
      } ${closed ? "opacity-90" : ""}`}
    >
      <header className="flex items-start justify-between gap-2">
        <div>
          <p className="text-base font-extrabold tracking-tight">#{shortId(t.orderId)}</p>
          <p className="text-xs text-slate-500 tabular">
            {formatTime(t.createdAt)} · {ago(t.createdAt, now)}
          </p>
        </div>
        <div className="text-right">
          <p className="font-bold tabular">{formatWon(t.totalKrw)}</p>
          <p className="text-xs text-slate-500">메뉴 {items}개</p>
        </div>
      </header>

      <ul className={`mt-3 space-y-1 text-sm ${closed ? "text-slate-500" : "text-slate-800"}`}>
        {t.lines.map((l) => (
          <li key={l.menuItemId} className="flex justify-between gap-2">
            <span className="font-medium">{l.name}</span>
            <span className="shrink-0 font-bold tabular">× {l.quantity}</span>
          </li>
        ))}
      </ul>

      {!closed && (
        <div className="mt-3 space-y-1 rounded-xl bg-slate-50 px-3 py-2 text-xs text-slate-600">
          <p className="flex gap-1.5">
            <MapPinIcon size={14} className="mt-0.5 shrink-0 text-slate-400" />
            <span className="line-clamp-2">{t.riderDestination ?? t.deliveryAddress}</span>
          </p>
          <p className="flex items-center gap-1.5 tabular">
            <PhoneIcon size={14} className="shrink-0 text-slate-400" />
            {t.phone}
          </p>
          {t.note && (
            <p className="flex gap-1.5 font-medium text-amber-700">
              <MessageIcon size={14} className="mt-0.5 shrink-0" />
              {t.note}
            </p>
          )}
        </div>
      )}

      {t.prepMinutes !== null && (t.column === "ACCEPTED" || t.column === "COOKING") && (
        <p className="mt-2 text-xs font-medium text-slate-500">조리 예상 {t.prepMinutes}분</p>
      )}

      <footer className="mt-3">
        {t.column === "NEW" && (
          <div className="grid grid-cols-[1fr_auto] gap-2">
            <Button size="lg" busy={busy === "accept"} onClick={() => onAction("accept")}>
              접수하기
            </Button>
            <Button size="lg" variant="danger" busy={busy === "reject"} onClick={() => onAction("reject")}>
              거절
            </Button>
          </div>
        )}
        {t.column === "ACCEPTED" && (
          <Button size="lg" variant="dark" className="w-full" busy={busy === "startCooking"} onClick={() => onAction("startCooking")}>
            조리 시작
          </Button>
        )}
        {t.column === "COOKING" && (
          <Button size="lg" variant="success" className="w-full" busy={busy === "markReady"} onClick={() => onAction("markReady")}>
            조리 완료
          </Button>
        )}
        {t.column === "READY" &&
          (t.riderCalled ? (
            <div className="flex items-center justify-between rounded-xl bg-violet-50 px-3 py-2.5 text-sm text-violet-800">
              <span className="flex items-center gap-2 font-semibold">
                <span className="size-2 animate-pulse rounded-full bg-violet-500" />
                라이더 배차 대기 중
              </span>
              {t.riderFeeKrw !== null && <span className="tabular">{formatWon(t.riderFeeKrw)}</span>}
            </div>
          ) : (
            <Button size="lg" className="w-full" busy={busy === "callRider"} onClick={() => onAction("callRider")}>
              <ScooterIcon /> 라이더 호출
            </Button>
          ))}
        {t.column === "WITH_RIDER" && (
          <div className="flex items-center justify-between rounded-xl bg-indigo-50 px-3 py-2.5 text-sm text-indigo-800">
            <span className="flex items-center gap-1.5 font-semibold">
              <ScooterIcon size={16} /> {t.riderName ?? "라이더"}
            </span>
            <span>{deliveryLabel(t)}</span>
          </div>
        )}
        {outcome && (
          <div className="space-y-1">
            <Badge tone={outcome.tone}>{outcome.label}</Badge>
            {outcome.detail && <p className="text-xs text-slate-500">{outcome.tone === "rose" ? `사유: ${outcome.detail}` : outcome.detail}</p>}
          </div>
        )}
      </footer>
    </article>
  );
}
