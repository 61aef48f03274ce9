"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useWon } from "@/lib/format";
import type { Shop } from "@/lib/trpc";
import { CategoryArt } from "./category-art";
import { ClockIcon } from "./icons";
import { Badge, cx } from "./ui";

export function ShopCard({ shop }: { shop: Shop }) {
  const t = useTranslations();
  const won = useWon();
  return (
    <Link
      href={`/shops/${shop.id}`}
      className={cx(
        "group flex gap-4 rounded-2xl border border-slate-200 bg-white p-3 transition hover:-translate-y-0.5 hover:border-slate-300 hover:shadow-md sm:flex-col sm:p-0",
        !shop.isOpen && "opacity-75",
      )}
      data-testid="shop-card"
    >
      <CategoryArt category={shop.category} className="size-20 shrink-0 rounded-xl sm:h-32 sm:w-full sm:rounded-none sm:rounded-t-2xl" size={44} />
      <div className="min-w-0 flex-1 sm:p-4 sm:pt-1">
        <div className="flex items-center justify-between gap-2">
          <h3 className="truncate text-base font-bold text-slate-900 group-hover:text-brand-700">{shop.name}</h3>
          <Badge tone={shop.isOpen ? "green" : "neutral"}>{shop.isOpen ? t("shop.open") : t("shop.closed")}</Badge>
        </div>
        <p className="mt-0.5 text-sm text-slate-500">{t(`categories.${shop.category}`)}</p>
        <p className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-[13px] text-slate-600">
          <span className="inline-flex items-center gap-1">
            <ClockIcon size={14} /> {t("shop.eta", { minutes: shop.estDeliveryMinutes })}
          </span>
          <span aria-hidden="true" className="text-slate-300">·</span>
          <span>{t("shop.deliveryFee", { amount: won(shop.deliveryFeeKrw) })}</span>
        </p>
        <p className="mt-0.5 text-[13px] text-slate-600">{t("shop.minOrder", { amount: won(shop.minOrderKrw) })}</p>
      </div>
    </Link>
  );
}
