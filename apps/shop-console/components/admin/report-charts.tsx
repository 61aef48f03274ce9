"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatWon, shortDay } from "@/lib/format";
import type { DayFigures } from "@/lib/trpc";

const manwon = (krw: number) => (krw >= 10_000 ? `${Math.round(krw / 1_000) / 10}만` : `${krw.toLocaleString("ko-KR")}`);
const tooltipStyle = { borderRadius: 12, border: "1px solid #e2e8f0", fontSize: 13 };

/** Revenue and orders per day, oldest on the left. */
export function RevenueChart({ days }: { days: DayFigures[] }) {
  const data = [...days].reverse().map((d) => ({ ...d, label: shortDay(d.day) }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid vertical={false} stroke="#f1f5f9" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} />
        <YAxis yAxisId="krw" tickFormatter={manwon} tickLine={false} axisLine={false} fontSize={12} width={48} />
        <YAxis yAxisId="n" orientation="right" allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} width={28} />
        <Tooltip contentStyle={tooltipStyle} formatter={(v, name) => (name === "주문 수" ? [`${v}건`, name] : [formatWon(Number(v)), name])} />
        <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
        <Bar isAnimationActive={false} yAxisId="krw" dataKey="revenueKrw" name="매출 (환불 제외)" fill="#f97316" radius={[6, 6, 0, 0]} maxBarSize={28} />
        <Bar isAnimationActive={false} yAxisId="n" dataKey="orders" name="주문 수" fill="#cbd5e1" radius={[6, 6, 0, 0]} maxBarSize={14} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Delivery fees per day: settled and still pending, stacked. */
export function FeesChart({ days }: { days: DayFigures[] }) {
  const data = [...days].reverse().map((d) => ({ ...d, label: shortDay(d.day) }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid vertical={false} stroke="#f1f5f9" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} />
        <YAxis tickFormatter={manwon} tickLine={false} axisLine={false} fontSize={12} width={48} />
        <Tooltip contentStyle={tooltipStyle} formatter={(v, name) => [formatWon(Number(v)), name]} />
        <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
        <Bar isAnimationActive={false} dataKey="settledKrw" name="정산 완료" stackId="fee" fill="#10b981" maxBarSize={28} />
        <Bar isAnimationActive={false} dataKey="pendingKrw" name="정산 대기" stackId="fee" fill="#fbbf24" radius={[6, 6, 0, 0]} maxBarSize={28} />
      </BarChart>
    </ResponsiveContainer>
  );
}
