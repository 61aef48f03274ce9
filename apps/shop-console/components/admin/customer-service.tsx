"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorBox, Spinner } from "@/components/ui/misc";
import { formatDateTime, formatWon, shortId } from "@/lib/format";
import { orderStatusLabel } from "@/lib/order-labels";
import { api, koreanError } from "@/lib/trpc";
import { OrderDetail } from "./order-detail";
import { InboxIcon, ReceiptIcon, SearchIcon } from "@/components/ui/icons";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Customer service: find an order by its id or the customer's phone, read its history, cancel it. */
export function CustomerService() {
  const [text, setText] = useState("");
  const [query, setQuery] = useState<{ orderId?: string; phone?: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);

  const results = useQuery({
    queryKey: ["order.adminFind", query],
    queryFn: () => api.order.adminFind.query(query!),
    enabled: query !== null,
  });

  const search = (e: FormEvent) => {
    e.preventDefault();
    const v = text.trim();
    if (uuidPattern.test(v)) {
      setQuery({ orderId: v.toLowerCase() });
      setSelected(v.toLowerCase());
    } else if (/^[0-9-]{4,20}$/.test(v)) {
      setQuery({ phone: v });
      setSelected(null);
    } else {
      setInputError("주문번호(전체 ID) 또는 전화번호 4자리 이상을 입력해 주세요.");
      return;
    }
    setInputError(null);
  };

  return (
    <>
      <h1 className="text-2xl font-extrabold">고객센터</h1>
      <p className="mt-1 text-sm text-slate-500">주문번호나 고객 전화번호로 주문을 찾고, 픽업 전 주문은 취소할 수 있어요. 취소하면 환불·티켓·배달 콜이 모두 함께 정리돼요.</p>
      <form onSubmit={search} className="mt-5 flex gap-2">
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="주문번호 또는 전화번호"
          placeholder="주문번호 또는 전화번호 (예: 010-1234-5678)"
          className="h-11 min-w-0 flex-1 rounded-xl border border-slate-300 bg-white px-4 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
        />
        <Button type="submit" size="lg" variant="dark">
          찾기
        </Button>
      </form>
      {inputError && <p className="mt-2 text-sm text-rose-600">{inputError}</p>}

      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,340px)_1fr]">
        <section aria-label="검색 결과">
          {query === null ? (
            <EmptyState icon={<SearchIcon size={24} />} title="주문을 찾아 보세요">
              전화번호 일부로도 찾을 수 있어요.
            </EmptyState>
          ) : results.isPending ? (
            <Spinner />
          ) : results.error ? (
            <ErrorBox>{koreanError(results.error)}</ErrorBox>
          ) : results.data.length === 0 ? (
            <EmptyState icon={<InboxIcon size={24} />} title="일치하는 주문이 없어요" />
          ) : (
            <ul className="space-y-2">
              {results.data.map((o) => {
                const s = orderStatusLabel[o.status] ?? { label: o.status, tone: "slate" as const };
                return (
                  <li key={o.id}>
                    <button
                      type="button"
                      onClick={() => setSelected(o.id)}
                      data-testid="order-result"
                      className={`w-full rounded-2xl bg-white p-4 text-left ring-1 transition hover:ring-brand-500 ${selected === o.id ? "ring-2 ring-brand-500" : "ring-slate-200"}`}
                    >
                      <div className="flex items-center justify-between gap-2">
                        <span className="font-extrabold">#{shortId(o.id)}</span>
                        <Badge tone={s.tone}>{s.label}</Badge>
                      </div>
                      <p className="mt-1 text-sm font-medium">{o.shopName}</p>
                      <p className="text-xs text-slate-500 tabular">
                        {formatDateTime(String(o.placedAt))} · {o.phone} · {formatWon(o.totalKrw)}
                      </p>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <section aria-label="주문 상세">{selected ? <OrderDetail orderId={selected} /> : query && <EmptyState icon={<ReceiptIcon size={24} />} title="주문을 고르면 상세와 이력이 보여요" />}</section>
      </div>
    </>
  );
}
