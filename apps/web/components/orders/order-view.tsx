"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useErrorText } from "@/lib/errors";
import { shortId, useTimes, useWon } from "@/lib/format";
import { myOrderQuery } from "@/lib/queries";
import { isNotFound, type OrderView } from "@/lib/trpc";
import { ChevronLeftIcon, ClockIcon, MapPinIcon } from "../icons";
import { Badge, EmptyState, ErrorState, Loading, Skeleton, Spinner } from "../ui";
import { CancelSection } from "./cancel-section";
import { statusTone } from "./status";
import { StatusTimeline } from "./status-timeline";

/** One order, live: the layout's stream replaces the cached view whenever the order changes. */
export function OrderDetail({ orderId }: { orderId: string }) {
  const t = useTranslations("order");
  const errorText = useErrorText();
  const q = useQuery(myOrderQuery(orderId));

  return (
    <div className="mx-auto max-w-3xl px-4 py-6 sm:px-6 sm:py-10">
      <Link href="/orders" className="inline-flex items-center gap-1 rounded-lg py-1 text-sm font-medium text-slate-600 hover:text-slate-900">
        <ChevronLeftIcon size={18} /> {t("backToOrders")}
      </Link>
      {q.isPending || (q.isFetching && q.isError) ? (
        <Loading label={t("waiting")}>
          <div className="mt-4 space-y-4">
            <p className="flex items-center gap-2 text-slate-600">
              <Spinner /> {t("waiting")}
            </p>
            <Skeleton className="h-36" />
            <Skeleton className="h-72" />
          </div>
        </Loading>
      ) : q.isError ? (
        <div className="mt-4">
          {isNotFound(q.error) ? (
            <EmptyState title={t("notFound")} />
          ) : (
            <ErrorState message={`${t("loadError")} ${errorText(q.error)}`} onRetry={() => void q.refetch()} />
          )}
        </div>
      ) : (
        <OrderLoaded view={q.data} />
      )}
    </div>
  );
}

function OrderLoaded({ view }: { view: OrderView }) {
  const t = useTranslations();
  const won = useWon();
  const times = useTimes();
  const cancelled = view.status === "CANCELLED";
  return (
    <div className="mt-3 space-y-4">
      <section className="rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <p className="text-sm text-slate-500">{t("order.number", { id: shortId(view.orderId) })}</p>
            <h1 className="mt-0.5 text-2xl font-extrabold tracking-tight">{view.shopName ?? "…"}</h1>
            {view.placedAt && <p className="mt-0.5 text-sm text-slate-500">{t("orders.placedAt", { date: times.dateTime(view.placedAt) })}</p>}
          </div>
          <Badge tone={statusTone(view.status)} className="px-3 py-1 text-sm">
            <span data-testid="order-status">{t(`status.${view.status}`)}</span>
          </Badge>
        </div>
        {view.etaAt && !cancelled && view.status !== "DELIVERED" && (
          <div className="mt-4 flex items-center gap-3 rounded-xl bg-brand-50 p-4 text-brand-800">
            <ClockIcon size={22} />
            <div>
              <p className="text-xs font-semibold">{t("order.etaLabel")}</p>
              <p className="text-lg font-bold tabular-nums" data-testid="order-eta">
                {times.time(view.etaAt)}
              </p>
            </div>
          </div>
        )}
        {cancelled && view.cancelledBy && (
          <div className="mt-4 rounded-xl bg-red-50 p-4 text-sm text-red-900">
            <p className="font-semibold">{t(`order.cancelledBy.${view.cancelledBy as "CUSTOMER" | "SHOP" | "ADMIN"}`)}</p>
            {view.cancelReason && view.cancelledBy !== "CUSTOMER" && <p className="mt-0.5">{t("order.cancelReason", { reason: view.cancelReason })}</p>}
            <p className="mt-1 font-medium">
              {view.refundedKrw != null ? t("order.refunded", { amount: won(view.refundedKrw) }) : t("order.refundPending")}
            </p>
          </div>
        )}
      </section>

      <section aria-labelledby="progress-heading" className="rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
        <h2 id="progress-heading" className="mb-5 text-lg font-bold">
          {t("order.progress")}
        </h2>
        <StatusTimeline view={view} />
      </section>

      <CancelSection view={view} />

      <section aria-labelledby="details-heading" className="rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
        <h2 id="details-heading" className="text-lg font-bold">
          {t("order.details")}
        </h2>
        <ul className="mt-3 divide-y divide-slate-100">
          {view.lines.map((l) => (
            <li key={l.menuItemId} className="flex justify-between gap-3 py-2.5 text-sm">
              <span className="text-slate-800">
                {l.name} <span className="text-slate-500">{t("order.quantity", { count: l.quantity })}</span>
              </span>
              <span className="tabular-nums">{won(l.unitPriceKrw * l.quantity)}</span>
            </li>
          ))}
        </ul>
        {view.totalKrw != null && (
          <dl className="mt-2 space-y-1.5 border-t border-slate-100 pt-3 text-sm">
            <div className="flex justify-between text-slate-600">
              <dt>{t("order.itemsTotal")}</dt>
              <dd className="tabular-nums">{won(view.itemsTotalKrw ?? 0)}</dd>
            </div>
            <div className="flex justify-between text-slate-600">
              <dt>{t("order.deliveryFee")}</dt>
              <dd className="tabular-nums">{won(view.deliveryFeeKrw ?? 0)}</dd>
            </div>
            <div className="flex justify-between text-base font-bold">
              <dt>{t("order.total")}</dt>
              <dd className="tabular-nums">{won(view.totalKrw)}</dd>
            </div>
          </dl>
        )}
        {view.deliveryAddress && (
          <p className="mt-4 flex items-start gap-2 rounded-xl bg-slate-50 p-3 text-sm text-slate-700">
            <MapPinIcon size={18} className="mt-0.5 shrink-0 text-slate-400" />
            <span>
              <span className="block text-xs font-semibold text-slate-500">{t("order.deliverTo")}</span>
              {view.deliveryAddress}
            </span>
          </p>
        )}
      </section>
    </div>
  );
}
