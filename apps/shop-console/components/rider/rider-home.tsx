"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, LiveIndicator, Spinner, Toggle } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { ago, formatTime, formatWon, shortId } from "@/lib/format";
import { useLiveStream } from "@/lib/live-stream";
import { api, koreanError, problemOf, type RiderCall } from "@/lib/trpc";
import { AlertIcon, InboxIcon, ScooterIcon } from "@/components/ui/icons";

type RiderMessage =
  | { kind: "snapshot"; snapshot: { open: RiderCall[]; mine: RiderCall[] } }
  | { kind: "change"; feed: string; change: RiderCall };

const meKey = ["delivery.me"] as const;
const myCallsKey = ["delivery.myCalls"] as const;

/** The rider's phone: go online, take a call (first tap wins), pick up, deliver, see today's pay. */
export function RiderHome() {
  const qc = useQueryClient();
  const toast = useToast();
  const me = useQuery({ queryKey: meKey, queryFn: () => api.delivery.me.query() });
  const mine = useQuery({ queryKey: myCallsKey, queryFn: () => api.delivery.myCalls.query() });
  const [open, setOpen] = useState<RiderCall[] | null>(null);
  const [taken, setTaken] = useState<Set<string>>(() => new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  // What the rider must not miss (a call taken by someone else, a delivery cancelled): stays until dismissed.
  const [notice, setNotice] = useState<{ text: string; detail?: string } | null>(null);

  const status = useLiveStream<RiderMessage>(
    (lastEventId, observer) => api.delivery.live.subscribe({ lastEventId }, observer),
    (m) => {
      setNow(Date.now());
      if (m.kind === "snapshot") {
        setOpen(m.snapshot.open);
        void qc.invalidateQueries({ queryKey: myCallsKey });
        return;
      }
      const c = m.change;
      if (m.feed === "open") {
        setOpen((list) => {
          const rest = (list ?? []).filter((x) => x.id !== c.id);
          return c.status === "CALLED" ? [c, ...rest] : rest;
        });
        return;
      }
      // One of my calls changed (e.g. settled, or cancelled by the platform).
      if (c.status === "CANCELLED") {
        setNotice({ text: `배달이 취소됐어요 · ${c.shopName} #${shortId(c.orderId)}`, detail: c.cancelReason ? `사유: ${c.cancelReason}` : undefined });
      }
      void qc.invalidateQueries({ queryKey: myCallsKey });
    },
  );

  const setOnline = useMutation({
    mutationFn: (online: boolean) => api.delivery.setOnline.mutate({ online }),
    onSuccess: (r) => {
      qc.setQueryData(meKey, (old: typeof me.data) => old && { ...old, online: r.online });
      toast(r.online ? "운행을 시작했어요. 새 콜을 받아요." : "운행을 종료했어요.", "success");
    },
    onError: (err) => toast(koreanError(err), "error"),
  });

  const act = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      toast(done, "success");
    } catch (err) {
      if (problemOf(err).reason === "CALL_TAKEN") {
        setTaken((s) => new Set(s).add(key.split(":")[1]!));
        setNotice({ text: koreanError(err), detail: "다른 콜을 수락해 보세요." });
      } else {
        toast(koreanError(err), "error");
      }
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: myCallsKey });
    }
  };

  if (me.isPending) return <Spinner />;
  const online = me.data?.online ?? false;
  const calls = mine.data?.calls ?? [];
  const active = calls.filter((c) => c.status === "ACCEPTED" || c.status === "PICKED_UP");
  const history = calls.filter((c) => c.status === "COMPLETED" || c.status === "CANCELLED");
  const totals = mine.data?.totals;

  return (
    <main className="mx-auto w-full max-w-lg flex-1 space-y-4 px-4 py-4">
      <section className={`rounded-3xl p-5 text-white shadow-lg ${online ? "bg-emerald-600" : "bg-slate-800"}`}>
        <div className="flex items-center justify-between">
          <div>
            <p className="text-sm font-medium text-white/70">{online ? "운행 중" : "운행 종료"}</p>
            <p className="mt-0.5 text-xl font-extrabold">{online ? "콜을 받고 있어요" : "운행을 시작해 보세요"}</p>
          </div>
          <Toggle label="운행" tone="onDark" checked={online} disabled={setOnline.isPending} onChange={(v) => setOnline.mutate(v)} />
        </div>
        {totals && (
          <dl className="mt-5 grid grid-cols-3 gap-2 rounded-2xl bg-black/15 p-3 text-center">
            <div>
              <dt className="text-xs text-white/70">오늘 배달</dt>
              <dd className="mt-0.5 text-lg font-extrabold tabular">{totals.completed}건</dd>
            </div>
            <div>
              <dt className="text-xs text-white/70">오늘 수익</dt>
              <dd className="mt-0.5 text-lg font-extrabold tabular" data-testid="earned">{formatWon(totals.earnedKrw)}</dd>
            </div>
            <div>
              <dt className="text-xs text-white/70">정산 대기</dt>
              <dd className="mt-0.5 text-lg font-extrabold tabular">{formatWon(totals.pendingKrw)}</dd>
            </div>
          </dl>
        )}
      </section>

      {notice && (
        <div role="status" data-testid="rider-notice" className="flex items-start gap-3 rounded-2xl bg-rose-50 p-4 text-rose-800 ring-1 ring-rose-200">
          <AlertIcon size={22} className="mt-0.5 shrink-0" />
          <div className="min-w-0 flex-1">
            <p className="font-bold">{notice.text}</p>
            {notice.detail && <p className="mt-0.5 text-sm">{notice.detail}</p>}
          </div>
          <Button size="sm" variant="secondary" onClick={() => setNotice(null)}>
            확인
          </Button>
        </div>
      )}

      {active.length > 0 && (
        <section aria-label="진행 중인 배달" className="space-y-3">
          <h2 className="px-1 text-sm font-bold text-slate-500">진행 중인 배달</h2>
          {active.map((c) => (
            <article key={c.id} data-testid="active-call" data-order-id={c.orderId} data-status={c.status} className="rounded-3xl bg-white p-5 shadow-sm ring-2 ring-brand-500">
              <div className="flex items-center justify-between">
                <Badge tone={c.status === "ACCEPTED" ? "amber" : "indigo"}>{c.status === "ACCEPTED" ? "픽업하러 가는 중" : "배달 중"}</Badge>
                <span className="text-lg font-extrabold tabular">{formatWon(c.feeKrw)}</span>
              </div>
              <Route call={c} />
              {c.status === "ACCEPTED" ? (
                <Button size="lg" variant="dark" className="mt-4 w-full" busy={busy === `pickup:${c.id}`} onClick={() => act(`pickup:${c.id}`, () => api.delivery.pickedUp.mutate({ riderCallId: c.id }), "픽업 완료! 고객에게 출발을 알렸어요.")}>
                  픽업 완료
                </Button>
              ) : (
                <Button size="lg" variant="success" className="mt-4 w-full" busy={busy === `deliver:${c.id}`} onClick={() => act(`deliver:${c.id}`, () => api.delivery.delivered.mutate({ riderCallId: c.id }), "배달 완료! 수고하셨어요.")}>
                  배달 완료
                </Button>
              )}
            </article>
          ))}
        </section>
      )}

      <section aria-label="배달 콜" className="space-y-3">
        <div className="flex items-center justify-between px-1">
          <h2 className="text-sm font-bold text-slate-500">
            배달 콜 {online && open ? <span className="text-brand-600">{open.length}</span> : null}
          </h2>
          <LiveIndicator status={status} />
        </div>
        {!online ? (
          <EmptyState icon={<ScooterIcon size={24} />} title="운행을 시작하면 콜이 보여요">
            위의 스위치를 켜 주세요.
          </EmptyState>
        ) : open === null ? (
          <Spinner label="콜을 불러오는 중" />
        ) : open.length === 0 ? (
          <EmptyState icon={<InboxIcon size={24} />} title="지금은 대기 중인 콜이 없어요">
            새 콜이 생기면 바로 여기에 나타나요.
          </EmptyState>
        ) : (
          open.map((c) => (
            <article key={c.id} data-testid="open-call" data-order-id={c.orderId} className="rounded-3xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <div className="flex items-start justify-between gap-3">
                <div>
                  <p className="font-extrabold">{c.shopName}</p>
                  <p className="text-xs text-slate-500">
                    #{shortId(c.orderId)} · {ago(c.createdAt, now)}
                  </p>
                </div>
                <p className="text-xl font-extrabold text-brand-600 tabular">{formatWon(c.feeKrw)}</p>
              </div>
              <Route call={c} />
              {taken.has(c.id) ? (
                <p className="mt-4 rounded-xl bg-slate-100 py-3 text-center text-sm font-semibold text-slate-500">다른 라이더가 먼저 수락했어요</p>
              ) : (
                <Button size="lg" className="mt-4 w-full" busy={busy === `accept:${c.id}`} onClick={() => act(`accept:${c.id}`, () => api.delivery.accept.mutate({ riderCallId: c.id }), "배차 완료! 가게로 출발하세요.")}>
                  수락하기
                </Button>
              )}
            </article>
          ))
        )}
      </section>

      <section aria-label="오늘의 배달" className="space-y-3 pb-8">
        <h2 className="px-1 text-sm font-bold text-slate-500">오늘의 배달</h2>
        {history.length === 0 ? (
          <p className="rounded-2xl bg-white px-4 py-6 text-center text-sm text-slate-400 ring-1 ring-slate-200">아직 완료한 배달이 없어요</p>
        ) : (
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-2xl bg-white ring-1 ring-slate-200">
            {history.map((c) => (
              <li key={c.id} data-testid="done-call" data-order-id={c.orderId} className="flex items-center gap-3 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-semibold">{c.shopName}</p>
                  <p className="text-xs text-slate-500 tabular">
                    {c.completedAt ? `${formatTime(c.completedAt)} 완료` : "취소됨"} · #{shortId(c.orderId)}
                  </p>
                </div>
                <div className="text-right">
                  <p className={`font-bold tabular ${c.status === "CANCELLED" ? "text-slate-400 line-through" : ""}`}>{formatWon(c.feeKrw)}</p>
                  {c.status === "CANCELLED" ? (
                    <Badge tone="slate">취소</Badge>
                  ) : c.settlementStatus === "SETTLED" ? (
                    <Badge tone="emerald">정산 완료</Badge>
                  ) : (
                    <Badge tone="amber">정산 대기</Badge>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

/** Pickup → destination. */
function Route({ call }: { call: RiderCall }) {
  return (
    <ol className="mt-4 space-y-3 text-sm">
      <li className="flex gap-3">
        <span className="mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full bg-slate-900 text-[10px] font-bold text-white">픽</span>
        <div>
          <p className="font-semibold">{call.shopName}</p>
          <p className="text-slate-500">{call.pickupAddress}</p>
        </div>
      </li>
      <li className="flex gap-3">
        <span className="mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full bg-brand-500 text-[10px] font-bold text-white">도</span>
        <p className="font-semibold">{call.destination}</p>
      </li>
    </ol>
  );
}
