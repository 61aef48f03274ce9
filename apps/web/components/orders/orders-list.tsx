"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useErrorText } from "@/lib/errors";
import { useTimes, useWon } from "@/lib/format";
import { myOrdersQuery } from "@/lib/queries";
import { ChevronRightIcon, ReceiptIcon } from "../icons";
import { Badge, ButtonLink, EmptyState, ErrorState, Loading, Skeleton } from "../ui";
import { statusTone } from "./status";

/** My page: the customer's orders, newest first, each status kept current by the live stream. */
export function OrdersList() {
  const t = useTranslations();
  const won = useWon();
  const times = useTimes();
  const errorText = useErrorText();
  const orders = useQuery(myOrdersQuery());

  return (
    <div className="mx-auto max-w-3xl px-4 py-6 sm:px-6 sm:py-10">
      <h1 className="text-2xl font-extrabold tracking-tight">{t("orders.title")}</h1>
      <div className="mt-5">
        {orders.isPending ? (
          <Loading>
            <div className="space-y-3">
              <Skeleton className="h-24" />
              <Skeleton className="h-24" />
              <Skeleton className="h-24" />
            </div>
          </Loading>
        ) : orders.isError ? (
          <ErrorState message={`${t("orders.loadError")} ${errorText(orders.error)}`} onRetry={() => void orders.refetch()} />
        ) : orders.data.length === 0 ? (
          <EmptyState
            icon={<ReceiptIcon size={36} className="text-slate-400" />}
            title={t("orders.empty")}
            hint={t("orders.emptyHint")}
            action={<ButtonLink href="/">{t("cart.browse")}</ButtonLink>}
          />
        ) : (
          <ul className="space-y-3">
            {orders.data.map((o) => {
              const [first, ...rest] = o.lines;
              const summary = first ? (rest.length ? t("orders.itemsSummary", { first: first.name, rest: rest.length }) : first.name) : "";
              return (
                <li key={o.orderId}>
                  <Link
                    href={`/orders/${o.orderId}`}
                    className="flex items-center gap-4 rounded-2xl border border-slate-200 bg-white p-4 transition hover:border-slate-300 hover:shadow-sm sm:p-5"
                    data-testid="order-row"
                  >
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <p className="font-bold text-slate-900">{o.shopName ?? "…"}</p>
                        <Badge tone={statusTone(o.status)}>{t(`status.${o.status}`)}</Badge>
                      </div>
                      <p className="mt-1 truncate text-sm text-slate-600">{summary}</p>
                      <p className="mt-1 text-xs text-slate-500">
                        {o.placedAt && t("orders.placedAt", { date: times.dateTime(o.placedAt) })}
                        {o.totalKrw != null && <span className="ml-2 font-semibold text-slate-700 tabular-nums">{won(o.totalKrw)}</span>}
                      </p>
                    </div>
                    <ChevronRightIcon size={20} className="shrink-0 text-slate-400" />
                    <span className="sr-only">{t("orders.view")}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
