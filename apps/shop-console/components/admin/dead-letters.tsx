"use client";
import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { EmptyState, Spinner } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { formatDateTime, shortId } from "@/lib/format";
import { api, koreanError, type DeadLetter } from "@/lib/trpc";
import { CheckCircleIcon } from "@/components/ui/icons";

/** Every context parks what its consumers gave up on; each is asked through its own `ops` procedures. */
const contexts = ["order", "payment", "store", "delivery", "catalog", "review", "mypage", "notification", "report", "identity"] as const;
type Context = (typeof contexts)[number];
const contextLabel: Record<Context, string> = {
  order: "주문",
  payment: "결제",
  store: "가게",
  delivery: "배달",
  catalog: "카탈로그",
  review: "검수",
  mypage: "마이페이지",
  notification: "알림",
  report: "리포트",
  identity: "계정",
};

const ops = (c: Context) => api[c].ops;

/** Parked events: what failed and why; replay one through its consumer, or discard it. */
export function DeadLetters() {
  const qc = useQueryClient();
  const toast = useToast();
  const [state, setState] = useState<"OPEN" | "RESOLVED">("OPEN");
  const [discarding, setDiscarding] = useState<DeadLetter | null>(null);
  const results = useQueries({
    queries: contexts.map((c) => ({
      queryKey: ["ops.deadLetters", c, state],
      queryFn: () => ops(c).deadLetters.query({ state, limit: 100 }),
      refetchInterval: 10_000,
      retry: false,
    })),
  });
  const letters = results
    .flatMap((r) => r.data ?? [])
    .sort((a, b) => b.parkedAt.localeCompare(a.parkedAt));
  const unreachable = contexts.filter((_, i) => results[i]!.error);
  const loading = results.some((r) => r.isPending);
  const refresh = () => qc.invalidateQueries({ queryKey: ["ops.deadLetters"] });

  const replay = useMutation({
    mutationFn: (d: DeadLetter) => ops(d.context).replay.mutate({ id: d.id }),
    onSuccess: (d) => {
      toast(d.resolution?.includes("already") ? "이미 반영된 이벤트였어요. 처리 완료로 표시했어요." : "재처리했어요.", "success");
      void refresh();
    },
    onError: (err) => {
      toast(koreanError(err), "error");
      void refresh();
    },
  });
  const discard = useMutation({
    mutationFn: (d: DeadLetter) => ops(d.context).discard.mutate({ id: d.id }),
    onSuccess: () => {
      setDiscarding(null);
      toast("폐기했어요.", "success");
      void refresh();
    },
    onError: (err) => toast(koreanError(err), "error"),
  });

  return (
    <>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 className="text-2xl font-extrabold">이벤트 처리</h1>
          <p className="mt-1 text-sm text-slate-500">여러 번 재시도해도 처리되지 못해 보류된 이벤트예요. 원인을 해결한 뒤 재처리하거나, 필요 없으면 폐기하세요.</p>
        </div>
        <div className="ml-auto flex rounded-xl bg-white p-1 ring-1 ring-slate-200" role="group" aria-label="상태">
          {(["OPEN", "RESOLVED"] as const).map((s) => (
            <button key={s} type="button" onClick={() => setState(s)} aria-pressed={state === s} className={`rounded-lg px-3 py-1.5 text-sm font-semibold ${state === s ? "bg-slate-900 text-white" : "text-slate-600"}`}>
              {s === "OPEN" ? "보류 중" : "처리 완료"}
            </button>
          ))}
        </div>
      </div>
      {unreachable.length > 0 && (
        <p className="mt-4 rounded-xl bg-amber-50 px-4 py-2 text-sm text-amber-800 ring-1 ring-amber-200">
          지금 응답하지 않는 서비스: {unreachable.map((c) => contextLabel[c]).join(", ")}
        </p>
      )}

      {loading && letters.length === 0 ? (
        <Spinner />
      ) : letters.length === 0 ? (
        <div className="mt-6">
          <EmptyState icon={<CheckCircleIcon size={24} />} title={state === "OPEN" ? "보류된 이벤트가 없어요" : "처리한 이벤트가 없어요"}>
            {state === "OPEN" ? "모든 이벤트가 정상적으로 처리되고 있어요." : null}
          </EmptyState>
        </div>
      ) : (
        <ul className="mt-6 space-y-3">
          {letters.map((d) => (
            <li key={`${d.context}:${d.id}`} data-testid="dead-letter" className="rounded-2xl bg-white p-5 ring-1 ring-slate-200">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone="indigo">{contextLabel[d.context]}</Badge>
                <span className="font-bold">{d.eventType ?? "읽을 수 없는 메시지"}</span>
                {d.orderId && <span className="text-sm text-slate-500">주문 #{shortId(d.orderId)}</span>}
                <span className="ml-auto text-xs text-slate-400 tabular">
                  {formatDateTime(d.parkedAt)} · {d.attempts}회 시도
                </span>
              </div>
              <p className="mt-1 text-xs text-slate-400">
                {d.consumer} · {d.subject}
              </p>
              <pre className="mt-3 overflow-x-auto rounded-xl bg-rose-50 px-3 py-2 text-xs whitespace-pre-wrap text-rose-800">{d.error}</pre>
              <details className="mt-2">
                <summary className="cursor-pointer text-xs font-semibold text-slate-500">이벤트 내용 보기</summary>
                <pre className="mt-2 max-h-64 overflow-auto rounded-xl bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(d.payload, null, 2)}</pre>
              </details>
              {d.resolvedAt ? (
                <p className="mt-3 text-sm text-emerald-700">
                  {d.resolution} · {formatDateTime(d.resolvedAt)}
                </p>
              ) : (
                <div className="mt-3 flex justify-end gap-2">
                  <Button variant="ghost" onClick={() => setDiscarding(d)}>
                    폐기
                  </Button>
                  <Button variant="dark" busy={replay.isPending && replay.variables?.id === d.id && replay.variables.context === d.context} onClick={() => replay.mutate(d)}>
                    재처리
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      {discarding && (
        <Modal
          title="이 이벤트를 폐기할까요?"
          description="폐기한 이벤트는 다시 처리되지 않아요. 처리 완료 목록에 기록으로 남아요."
          onClose={() => setDiscarding(null)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setDiscarding(null)}>
                취소
              </Button>
              <Button variant="destructive" busy={discard.isPending} onClick={() => discard.mutate(discarding)}>
                폐기
              </Button>
            </>
          }
        >
          <p className="text-sm text-slate-600">
            {contextLabel[discarding.context]} · {discarding.eventType ?? "읽을 수 없는 메시지"}
          </p>
        </Modal>
      )}
    </>
  );
}
