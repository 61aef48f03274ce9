"use client";
import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState, ErrorBox, Spinner } from "@/components/ui/misc";
import { formatDateTime, formatWon, shortDay, shortId } from "@/lib/format";
import { api, koreanError, type DeliveryRow } from "@/lib/trpc";
import { ScooterIcon } from "@/components/ui/icons";

// Charts measure the browser's layout: rendered on the client only.
const RevenueChart = dynamic(() => import("./report-charts").then((m) => m.RevenueChart), { ssr: false, loading: () => <div className="h-[260px]" /> });
const FeesChart = dynamic(() => import("./report-charts").then((m) => m.FeesChart), { ssr: false, loading: () => <div className="h-[260px]" /> });

const callStatus: Record<DeliveryRow["status"], { label: string; tone: "amber" | "indigo" | "sky" | "emerald" | "slate" }> = {
  CALLED: { label: "배차 대기", tone: "amber" },
  ACCEPTED: { label: "배차 완료", tone: "sky" },
  PICKED_UP: { label: "배달 중", tone: "indigo" },
  COMPLETED: { label: "배달 완료", tone: "emerald" },
  CANCELLED: { label: "취소", tone: "slate" },
};

/** Deliveries, fees and settlement, and revenue by day, from the report read model. */
export function DeliveryReport() {
  const [days, setDays] = useState(14);
  const refetchInterval = 10_000;
  const summary = useQuery({ queryKey: ["report.summary"], queryFn: () => api.report.summary.query(), refetchInterval });
  const daily = useQuery({ queryKey: ["report.daily", days], queryFn: () => api.report.daily.query({ days }), refetchInterval });
  const deliveries = useQuery({ queryKey: ["report.deliveries"], queryFn: () => api.report.deliveries.query({ limit: 100 }), refetchInterval });
  const error = summary.error ?? daily.error ?? deliveries.error;

  return (
    <>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 className="text-2xl font-extrabold">배달 리포트</h1>
          <p className="mt-1 text-sm text-slate-500">배달 콜, 배달비 정산, 일별 매출을 한눈에 봐요. 10초마다 새로 고쳐져요.</p>
        </div>
        <div className="ml-auto flex rounded-xl bg-white p-1 ring-1 ring-slate-200" role="group" aria-label="기간">
          {[7, 14, 30].map((d) => (
            <button key={d} type="button" onClick={() => setDays(d)} aria-pressed={days === d} className={`rounded-lg px-3 py-1.5 text-sm font-semibold ${days === d ? "bg-slate-900 text-white" : "text-slate-600"}`}>
              {d}일
            </button>
          ))}
        </div>
      </div>
      {error && (
        <div className="mt-4">
          <ErrorBox>{koreanError(error)}</ErrorBox>
        </div>
      )}

      {summary.data && (
        <dl className="mt-6 grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="report-summary">
          {[
            ["누적 주문", `${summary.data.orders.toLocaleString("ko-KR")}건`, `배달 완료 ${summary.data.delivered} · 취소 ${summary.data.cancelled}`],
            ["매출 (환불 제외)", formatWon(summary.data.revenueKrw), null],
            ["배달비", formatWon(summary.data.deliveryFeesKrw), `진행 중 콜 ${summary.data.openDeliveries}건`],
            ["정산", formatWon(summary.data.settledKrw), `대기 ${formatWon(summary.data.pendingKrw)}`],
          ].map(([label, value, note]) => (
            <div key={label} className="rounded-2xl bg-white p-4 ring-1 ring-slate-200">
              <dt className="text-xs font-semibold text-slate-500">{label}</dt>
              <dd className="mt-1 text-2xl font-extrabold tabular">{value}</dd>
              {note && <dd className="mt-0.5 text-xs text-slate-400">{note}</dd>}
            </div>
          ))}
        </dl>
      )}

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <section className="rounded-2xl bg-white p-5 ring-1 ring-slate-200">
          <h2 className="font-bold">일별 매출과 주문</h2>
          <div className="mt-3">{daily.data ? <RevenueChart days={daily.data} /> : <Spinner />}</div>
        </section>
        <section className="rounded-2xl bg-white p-5 ring-1 ring-slate-200">
          <h2 className="font-bold">일별 배달비 정산</h2>
          <div className="mt-3">{daily.data ? <FeesChart days={daily.data} /> : <Spinner />}</div>
        </section>
      </div>

      {daily.data && (
        <section className="mt-6 overflow-hidden rounded-2xl bg-white ring-1 ring-slate-200">
          <h2 className="px-5 pt-5 font-bold">일별 합계</h2>
          <div className="overflow-x-auto">
            <table className="mt-3 w-full min-w-[640px] text-sm tabular" data-testid="daily-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  {["날짜", "주문", "매출", "배달비", "정산 완료", "정산 대기"].map((h) => (
                    <th key={h} className={`px-5 py-2 font-semibold ${h === "날짜" ? "" : "text-right"}`}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {daily.data
                  .filter((d) => d.orders || d.deliveryFeesKrw || d.pendingKrw)
                  .map((d) => (
                    <tr key={d.day}>
                      <td className="px-5 py-2 font-medium">{shortDay(d.day)}</td>
                      <td className="px-5 py-2 text-right">{d.orders}건</td>
                      <td className="px-5 py-2 text-right">{formatWon(d.revenueKrw)}</td>
                      <td className="px-5 py-2 text-right">{formatWon(d.deliveryFeesKrw)}</td>
                      <td className="px-5 py-2 text-right text-emerald-600">{formatWon(d.settledKrw)}</td>
                      <td className="px-5 py-2 text-right text-amber-600">{formatWon(d.pendingKrw)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section className="mt-6 overflow-hidden rounded-2xl bg-white ring-1 ring-slate-200">
        <h2 className="px-5 pt-5 font-bold">배달 내역</h2>
        {deliveries.isPending ? (
          <Spinner />
        ) : !deliveries.data?.length ? (
          <div className="p-5">
            <EmptyState icon={<ScooterIcon size={24} />} title="아직 배달 콜이 없어요" />
          </div>
        ) : (
          <div className="overflow-x-auto">
            <table className="mt-3 w-full min-w-[720px] text-sm" data-testid="deliveries-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-semibold">주문</th>
                  <th className="px-5 py-2 font-semibold">가게</th>
                  <th className="px-5 py-2 font-semibold">라이더</th>
                  <th className="px-5 py-2 font-semibold">상태</th>
                  <th className="px-5 py-2 text-right font-semibold">배달비</th>
                  <th className="px-5 py-2 font-semibold">정산</th>
                  <th className="px-5 py-2 font-semibold">호출 시각</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {deliveries.data.map((d) => (
                  <tr key={d.riderCallId} data-order-id={d.orderId}>
                    <td className="px-5 py-2 font-semibold">#{shortId(d.orderId)}</td>
                    <td className="px-5 py-2">{d.shopName ?? "—"}</td>
                    <td className="px-5 py-2">{d.riderName ?? "—"}</td>
                    <td className="px-5 py-2">
                      <Badge tone={callStatus[d.status].tone}>{callStatus[d.status].label}</Badge>
                    </td>
                    <td className="px-5 py-2 text-right font-semibold tabular">{formatWon(d.feeKrw)}</td>
                    <td className="px-5 py-2">
                      {d.settlement === "SETTLED" ? <Badge tone="emerald">정산 완료</Badge> : d.settlement === "PENDING" ? <Badge tone="amber">정산 대기</Badge> : <span className="text-slate-300">—</span>}
                    </td>
                    <td className="px-5 py-2 text-slate-500 tabular">{formatDateTime(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
