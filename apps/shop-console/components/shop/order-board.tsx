"use client";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, LiveIndicator, Spinner } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { columns, useLiveBoard } from "@/lib/board";
import { audioReady, playChime, unlockAudio } from "@/lib/chime";
import { shortId } from "@/lib/format";
import { useMyShop } from "@/lib/shop";
import { api, koreanError, type Ticket } from "@/lib/trpc";
import { AcceptDialog, CallRiderDialog, RejectDialog } from "./ticket-actions";
import { TicketCard, type TicketAction } from "./ticket-card";
import { BellIcon, ReceiptIcon } from "@/components/ui/icons";

const CHIME_EVERY_MS = 4_000;

/** The shop's live order board: columns by status, new orders chime until acknowledged. */
export function OrderBoard() {
  const toast = useToast();
  const shop = useMyShop();
  const [acknowledged, setAcknowledged] = useState<Set<string>>(() => new Set());
  const [dialog, setDialog] = useState<{ kind: "accept" | "reject" | "callRider"; ticket: Ticket } | null>(null);
  const [busy, setBusy] = useState<{ id: string; action: TicketAction } | null>(null);
  const [tab, setTab] = useState<string>("NEW");
  const [now, setNow] = useState(() => Date.now());
  const [soundOn, setSoundOn] = useState(false);

  const { loaded, byColumn, upsert, status } = useLiveBoard(
    (t) => toast(`새 주문 #${shortId(t.orderId)}이 들어왔어요`, "info"),
    (t) =>
      toast(
        `주문 #${shortId(t.orderId)} ${t.cancelledBy === "ADMIN" ? "고객센터에서 취소했어요" : "고객이 취소했어요"} · 환불돼요`,
        "error",
      ),
  );

  const waiting = byColumn.get("NEW") ?? [];
  const unacknowledged = useMemo(() => waiting.filter((t) => !acknowledged.has(t.id)), [waiting, acknowledged]);
  const acknowledge = useCallback((ids: string[]) => setAcknowledged((s) => new Set([...s, ...ids])), []);

  // The chime repeats while a new order waits unacknowledged; the tab title counts them too.
  useEffect(() => {
    document.title = unacknowledged.length ? `(${unacknowledged.length}) 새 주문 · 주문 보드` : "주문 보드 · 배달 파트너";
    if (unacknowledged.length === 0) return;
    playChime();
    const timer = setInterval(playChime, CHIME_EVERY_MS);
    return () => clearInterval(timer);
  }, [unacknowledged.length]);

  // Browsers allow sound after the first touch on the page.
  useEffect(() => {
    const unlock = () => {
      unlockAudio();
      setTimeout(() => setSoundOn(audioReady()), 100);
    };
    window.addEventListener("pointerdown", unlock);
    return () => window.removeEventListener("pointerdown", unlock);
  }, []);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  /** Runs one command; its result goes on the board at once. Dialogs show a failure themselves. */
  const run = async (t: Ticket, action: TicketAction, call: () => Promise<Ticket>) => {
    setBusy({ id: t.id, action });
    try {
      upsert(await call());
    } finally {
      setBusy(null);
    }
  };

  const onAction = (t: Ticket, action: TicketAction) => {
    acknowledge([t.id]);
    if (action === "accept" || action === "reject" || action === "callRider") {
      setDialog({ kind: action, ticket: t });
      return;
    }
    const call = action === "startCooking" ? api.store.startCooking.mutate : api.store.markReady.mutate;
    run(t, action, () => call({ ticketId: t.id })).catch((err) => toast(koreanError(err), "error"));
  };

  const renderColumn = (c: (typeof columns)[number], finished = false) => {
    const list = byColumn.get(c.key) ?? [];
    return (
      <section key={c.key} aria-label={c.label} data-column={c.key} className={`${tab === c.key ? "block" : "hidden"} min-w-0 md:block ${finished ? "md:mt-2 md:border-t md:border-slate-200 md:pt-5" : ""}`}>
        <div className="mb-3 flex items-center gap-2 px-1">
          <Badge tone={c.tone}>{c.label}</Badge>
          <span className="text-sm font-bold text-slate-700 tabular">{list.length}</span>
          <span className="ml-auto truncate text-xs text-slate-400">{c.hint}</span>
        </div>
        {list.length === 0 ? (
          <div className="rounded-2xl border border-dashed border-slate-200 px-4 py-8 text-center text-sm text-slate-400">비어 있어요</div>
        ) : (
          <div className={finished ? "grid gap-3 sm:grid-cols-2 md:grid-cols-3 lg:grid-cols-5" : "space-y-3"}>
            {list.map((t) => (
              <TicketCard
                key={t.id}
                ticket={t}
                now={now}
                unacknowledged={t.column === "NEW" && !acknowledged.has(t.id)}
                busy={busy?.id === t.id ? busy.action : null}
                onAction={(a) => onAction(t, a)}
              />
            ))}
          </div>
        )}
      </section>
    );
  };

  const activeCount = columns.slice(0, 5).reduce((n, c) => n + (byColumn.get(c.key)?.length ?? 0), 0);

  return (
    <main className="flex flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-white px-4 py-3 sm:px-6">
        <h1 className="text-lg font-extrabold">주문 보드</h1>
        <span className="text-sm text-slate-500">진행 중 {activeCount}건</span>
        <div className="ml-auto flex items-center gap-3">
          {!soundOn && (
            <Button size="sm" variant="secondary" onClick={() => (unlockAudio(), setTimeout(() => setSoundOn(audioReady()), 100))}>
              <BellIcon size={16} /> 알림음 켜기
            </Button>
          )}
          <LiveIndicator status={status} />
        </div>
      </div>

      {unacknowledged.length > 0 && (
        <div role="alert" className="flex items-center gap-3 bg-brand-500 px-4 py-3 text-white sm:px-6" data-testid="new-order-alert">
          <span className="relative flex size-3">
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-white opacity-75" />
            <span className="relative inline-flex size-3 rounded-full bg-white" />
          </span>
          <p className="font-bold">새 주문 {unacknowledged.length}건이 들어왔어요!</p>
          <p className="hidden text-sm text-orange-100 sm:block">접수 또는 거절해 주세요.</p>
          <Button size="sm" variant="secondary" className="ml-auto !ring-0" onClick={() => (acknowledge(unacknowledged.map((t) => t.id)), setTab("NEW"))}>
            확인
          </Button>
        </div>
      )}

      {!loaded ? (
        <Spinner label="주문을 불러오는 중" />
      ) : (
        <>
          {/* Phones: one column at a time. */}
          <div className="flex gap-1 overflow-x-auto border-b border-slate-200 bg-white px-3 py-2 md:hidden" role="tablist">
            {columns.map((c) => (
              <button
                key={c.key}
                role="tab"
                aria-selected={tab === c.key}
                onClick={() => setTab(c.key)}
                className={`flex shrink-0 items-center gap-1.5 rounded-full px-3 py-1.5 text-sm font-semibold ${tab === c.key ? "bg-slate-900 text-white" : "text-slate-600"}`}
              >
                {c.label}
                <span className={`rounded-full px-1.5 text-xs ${tab === c.key ? "bg-white/20" : "bg-slate-100"}`}>{byColumn.get(c.key)?.length ?? 0}</span>
              </button>
            ))}
          </div>
          {/* Tablets and up: the five working columns side by side, finished orders underneath. */}
          <div className="overflow-x-auto">
            <div className="grid gap-4 p-4 sm:p-5 md:min-w-max md:auto-cols-[236px] md:grid-flow-col lg:min-w-0 lg:grid-flow-row lg:grid-cols-5">
              {columns.slice(0, 5).map((c) => renderColumn(c))}
            </div>
          </div>
          <div className="px-4 pb-8 sm:px-5">{renderColumn(columns[5]!, true)}</div>
          {activeCount === 0 && (byColumn.get("CLOSED")?.length ?? 0) === 0 && (
            <div className="px-4 pb-8 sm:px-6">
              <EmptyState icon={<ReceiptIcon size={24} />} title="아직 들어온 주문이 없어요">
                새 주문이 들어오면 알림음과 함께 여기에 바로 나타나요.
              </EmptyState>
            </div>
          )}
        </>
      )}

      {dialog?.kind === "accept" && (
        <AcceptDialog
          ticket={dialog.ticket}
          onClose={() => setDialog(null)}
          onAccept={(prepMinutes) => run(dialog.ticket, "accept", () => api.store.accept.mutate({ ticketId: dialog.ticket.id, prepMinutes }))}
        />
      )}
      {dialog?.kind === "reject" && (
        <RejectDialog
          ticket={dialog.ticket}
          onClose={() => setDialog(null)}
          onReject={(reason) => run(dialog.ticket, "reject", () => api.store.reject.mutate({ ticketId: dialog.ticket.id, reason }))}
        />
      )}
      {dialog?.kind === "callRider" && (
        <CallRiderDialog
          ticket={dialog.ticket}
          defaultFeeKrw={shop.data?.deliveryFeeKrw || 3_000}
          onClose={() => setDialog(null)}
          onCall={(input) => run(dialog.ticket, "callRider", () => api.store.callRider.mutate({ ticketId: dialog.ticket.id, ...input }))}
        />
      )}
    </main>
  );
}
