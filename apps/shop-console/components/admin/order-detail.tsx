"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { ErrorBox, Spinner } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { formatClock, formatDateTime, formatWon, shortId } from "@/lib/format";
import { describeEvent, historySource, orderStatusLabel } from "@/lib/order-labels";
import { api, koreanError } from "@/lib/trpc";

const sourceTone = { order: "orange", store: "amber", delivery: "indigo", payment: "emerald" } as const;

/** One order for customer service: what was ordered, where it is, every event about it, and cancel. */
export function OrderDetail({ orderId }: { orderId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const order = useQuery({ queryKey: ["order.get", orderId], queryFn: () => api.order.get.query({ orderId }), refetchInterval: 5_000 });
  // The history grows as the other contexts react (a cancellation's refund, ticket, rider call).
  const history = useQuery({ queryKey: ["report.orderHistory", orderId], queryFn: () => api.report.orderHistory.query({ orderId }), refetchInterval: 3_000 });
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState("");
  const cancel = useMutation({
    mutationFn: () => api.order.adminCancel.mutate({ orderId, reason: reason.trim() }),
    onSuccess: () => {
      setCancelling(false);
      toast("주문을 취소했어요. 환불과 가게·라이더 알림이 이어서 처리돼요.", "success");
      void qc.invalidateQueries({ queryKey: ["order.get", orderId] });
      void qc.invalidateQueries({ queryKey: ["order.adminFind"] });
    },
  });

  if (order.isPending) return <Spinner />;
  if (order.error) return <ErrorBox>{koreanError(order.error)}</ErrorBox>;
  const o = order.data;
  const s = orderStatusLabel[o.status] ?? { label: o.status, tone: "slate" as const };

  return (
    <div className="space-y-4" data-testid="order-detail">
      <div className="rounded-2xl bg-white p-5 ring-1 ring-slate-200">
        <div className="flex flex-wrap items-start gap-3">
          <div>
            <p className="text-xs break-all text-slate-400">주문번호 {o.id}</p>
            <h2 className="text-xl font-extrabold">
              #{shortId(o.id)} · {o.shopName}
            </h2>
            <p className="text-sm text-slate-500 tabular">{formatDateTime(String(o.placedAt))} 주문</p>
          </div>
          <Badge tone={s.tone} className="ml-auto text-sm">
            <span data-testid="order-status">{s.label}</span>
          </Badge>
        </div>
        <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-400">배달지</dt>
            <dd className="font-medium">{o.deliveryAddress}</dd>
          </div>
          <div>
            <dt className="text-slate-400">연락처</dt>
            <dd className="font-medium tabular">{o.phone}</dd>
          </div>
          {o.riderName && (
            <div>
              <dt className="text-slate-400">라이더</dt>
              <dd className="font-medium">{o.riderName}</dd>
            </div>
          )}
          {o.cancelReason && (
            <div>
              <dt className="text-slate-400">취소 사유</dt>
              <dd className="font-medium text-rose-600">{o.cancelReason}</dd>
            </div>
          )}
        </dl>
        <ul className="mt-4 divide-y divide-slate-100 border-t border-slate-100 text-sm">
          {o.lines.map((l) => (
            <li key={l.id} className="flex justify-between py-2">
              <span>
                {l.name} × {l.quantity}
              </span>
              <span className="tabular">{formatWon(l.unitPriceKrw * l.quantity)}</span>
            </li>
          ))}
          <li className="flex justify-between py-2 text-slate-500">
            <span>배달팁</span>
            <span className="tabular">{formatWon(o.deliveryFeeKrw)}</span>
          </li>
          <li className="flex justify-between py-2 font-bold">
            <span>결제 금액</span>
            <span className="tabular">{formatWon(o.totalKrw)}</span>
          </li>
          {o.refundedKrw !== null && (
            <li className="flex justify-between py-2 font-semibold text-rose-600">
              <span>환불</span>
              <span className="tabular">-{formatWon(o.refundedKrw)}</span>
            </li>
          )}
        </ul>
        <div className="mt-4 flex items-center justify-end gap-3">
          {!o.canAdminCancel && o.status !== "CANCELLED" && <p className="text-xs text-slate-400">픽업 이후에는 취소할 수 없어요.</p>}
          <Button variant="destructive" disabled={!o.canAdminCancel} onClick={() => setCancelling(true)}>
            주문 취소
          </Button>
        </div>
      </div>

      <div className="rounded-2xl bg-white p-5 ring-1 ring-slate-200">
        <h3 className="font-bold">이벤트 이력</h3>
        <p className="text-xs text-slate-400">주문·가게·배달·결제에서 일어난 일을 시간 순서대로 보여줘요.</p>
        {history.isPending ? (
          <Spinner />
        ) : history.error ? (
          <div className="mt-3">
            <ErrorBox>{koreanError(history.error)}</ErrorBox>
          </div>
        ) : history.data.length === 0 ? (
          <p className="mt-4 text-sm text-slate-400">아직 기록된 이벤트가 없어요.</p>
        ) : (
          <ol className="mt-4 space-y-0" data-testid="order-history">
            {history.data.map((e, i) => (
              <li key={e.eventId} className="relative flex gap-3 pb-4" data-event-type={e.type}>
                {i < history.data.length - 1 && <span className="absolute top-5 left-[5px] h-full w-px bg-slate-200" aria-hidden />}
                <span className="relative mt-1.5 size-[11px] shrink-0 rounded-full border-2 border-white bg-slate-400 ring-1 ring-slate-300" />
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={sourceTone[e.source as keyof typeof sourceTone] ?? "slate"}>{historySource(e.source)}</Badge>
                    <span className="text-xs text-slate-400 tabular">{formatClock(e.occurredAt)}</span>
                    <span className="text-xs text-slate-300">{e.type}</span>
                  </div>
                  <p className="mt-0.5 text-sm">{describeEvent(e)}</p>
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>

      {cancelling && (
        <Modal
          title={`주문 #${shortId(o.id)} 취소`}
          description={`고객에게 ${formatWon(o.totalKrw)}이 환불되고, 가게 주문과 배달 콜이 취소되며 배정된 라이더에게 알림이 가요.`}
          onClose={() => (setCancelling(false), cancel.reset())}
          footer={
            <>
              <Button variant="ghost" onClick={() => setCancelling(false)}>
                돌아가기
              </Button>
              <Button variant="destructive" disabled={!reason.trim()} busy={cancel.isPending} onClick={() => cancel.mutate()}>
                취소하고 환불
              </Button>
            </>
          }
        >
          <label className="block">
            <span className="text-sm font-semibold text-slate-600">취소 사유 (필수)</span>
            <textarea
              className="mt-1 block min-h-20 w-full rounded-xl border border-slate-300 px-3 py-2.5 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
              maxLength={200}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="예: 고객 요청으로 취소 (상담 #1234)"
            />
          </label>
          {cancel.error && (
            <div className="mt-3">
              <ErrorBox>{koreanError(cancel.error)}</ErrorBox>
            </div>
          )}
        </Modal>
      )}
    </div>
  );
}
