"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useMemo, useState } from "react";
import { addToCart, useCart, wouldSwitchShop, type CartShop } from "@/lib/cart";
import { useErrorText } from "@/lib/errors";
import { useWon } from "@/lib/format";
import { shopQuery } from "@/lib/queries";
import { useToasts } from "@/lib/toast";
import { isNotFound, type MenuItem, type ShopDetail } from "@/lib/trpc";
import { CategoryArt } from "../category-art";
import { ChevronLeftIcon, ClockIcon, MapPinIcon, PlusIcon } from "../icons";
import { Alert, Badge, Button, Dialog, EmptyState, ErrorState, Loading, QuantityStepper, Skeleton } from "../ui";
import { CartPanel } from "./cart-panel";

type Pending = { item: MenuItem; quantity: number };

export function ShopView({ shopId }: { shopId: string }) {
  const t = useTranslations();
  const errorText = useErrorText();
  const shop = useQuery(shopQuery(shopId));

  if (shop.isPending) {
    return (
      <Loading>
        <div className="mx-auto max-w-6xl space-y-4 px-4 py-6 sm:px-6">
          <Skeleton className="h-40" />
          <Skeleton className="h-20" />
          <Skeleton className="h-20" />
        </div>
      </Loading>
    );
  }
  if (shop.isError) {
    return (
      <div className="mx-auto max-w-3xl px-4 py-10">
        {isNotFound(shop.error) ? (
          <EmptyState title={t("shop.notFound")} action={<Link href="/" className="font-semibold text-brand-700 underline">{t("shop.backToShops")}</Link>} />
        ) : (
          <ErrorState message={`${t("shop.loadError")} ${errorText(shop.error)}`} onRetry={() => void shop.refetch()} />
        )}
      </div>
    );
  }
  return <ShopLoaded shop={shop.data} />;
}

function ShopLoaded({ shop }: { shop: ShopDetail }) {
  const t = useTranslations();
  const won = useWon();
  const cart = useCart();
  const { push } = useToasts();
  const [picking, setPicking] = useState<Pending | null>(null);
  const [confirmSwitch, setConfirmSwitch] = useState<Pending | null>(null);

  // The brief for customers: listed items that are not sold out, grouped by the shop's categories.
  const groups = useMemo(() => {
    const m = new Map<string, MenuItem[]>();
    for (const item of shop.items.filter((i) => !i.soldOut)) m.set(item.category, [...(m.get(item.category) ?? []), item]);
    return [...m.entries()];
  }, [shop.items]);

  const cartShop: CartShop = { id: shop.id, name: shop.name, minOrderKrw: shop.minOrderKrw, deliveryFeeKrw: shop.deliveryFeeKrw };
  const commit = ({ item, quantity }: Pending) => {
    addToCart(cartShop, { menuItemId: item.id, name: item.name, priceKrw: item.priceKrw }, quantity);
    push({ title: t("shop.added", { name: item.name, quantity }), tone: "success" });
  };
  const add = (p: Pending) => {
    setPicking(null);
    if (wouldSwitchShop(cart, shop.id)) setConfirmSwitch(p);
    else commit(p);
  };

  return (
    <div className="mx-auto max-w-6xl px-4 pt-4 pb-28 sm:px-6 lg:pb-16">
      <Link href="/" className="inline-flex items-center gap-1 rounded-lg py-1 text-sm font-medium text-slate-600 hover:text-slate-900">
        <ChevronLeftIcon size={18} /> {t("shop.backToShops")}
      </Link>

      <section className="mt-3 overflow-hidden rounded-2xl border border-slate-200 bg-white">
        <CategoryArt category={shop.category} className="h-28 sm:h-36" size={56} />
        <div className="p-5 sm:p-6">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-extrabold tracking-tight">{shop.name}</h1>
            <Badge tone={shop.isOpen ? "green" : "neutral"}>{shop.isOpen ? t("shop.open") : t("shop.closed")}</Badge>
          </div>
          <p className="mt-1 text-sm text-slate-500">{t(`categories.${shop.category}`)}</p>
          {shop.description && <p className="mt-3 text-slate-700">{shop.description}</p>}
          <dl className="mt-4 grid grid-cols-3 gap-2 rounded-xl bg-slate-50 p-3 text-center text-sm">
            <div>
              <dt className="text-xs text-slate-500">{t("shop.minOrderLabel")}</dt>
              <dd className="mt-0.5 font-semibold tabular-nums">{won(shop.minOrderKrw)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t("shop.deliveryFeeLabel")}</dt>
              <dd className="mt-0.5 font-semibold tabular-nums">{won(shop.deliveryFeeKrw)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t("shop.etaLabel")}</dt>
              <dd className="mt-0.5 inline-flex items-center gap-1 font-semibold">
                <ClockIcon size={14} /> {t("common.minutes", { count: shop.estDeliveryMinutes })}
              </dd>
            </div>
          </dl>
          <p className="mt-3 flex items-center gap-1.5 text-sm text-slate-500">
            <MapPinIcon size={16} /> {shop.address}
          </p>
        </div>
      </section>

      {!shop.isOpen && (
        <div className="mt-4">
          <Alert tone="warning">{t("shop.closedNotice")}</Alert>
        </div>
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_360px]">
        <section aria-labelledby="menu-heading">
          <h2 id="menu-heading" className="sr-only">
            {t("shop.menu")}
          </h2>
          {groups.length === 0 ? (
            <EmptyState title={t("shop.noItems")} />
          ) : (
            groups.map(([category, items]) => (
              <div key={category} className="mb-6">
                <h3 className="mb-2 text-lg font-bold">{category}</h3>
                <ul className="divide-y divide-slate-100 overflow-hidden rounded-2xl border border-slate-200 bg-white">
                  {items.map((item) => (
                    <li key={item.id} className="flex items-center gap-4 p-4" data-testid="menu-item">
                      <div className="min-w-0 flex-1">
                        <p className="font-semibold text-slate-900">{item.name}</p>
                        {item.description && <p className="mt-0.5 line-clamp-2 text-sm text-slate-500">{item.description}</p>}
                        <p className="mt-1.5 font-bold tabular-nums">{won(item.priceKrw)}</p>
                      </div>
                      <Button
                        variant="secondary"
                        size="sm"
                        className="shrink-0"
                        disabled={!item.available}
                        onClick={() => setPicking({ item, quantity: 1 })}
                        aria-label={t("shop.addNamed", { name: item.name })}
                      >
                        <PlusIcon size={16} /> {t("shop.add")}
                      </Button>
                    </li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </section>
        <CartPanel />
      </div>

      <Dialog
        open={picking !== null}
        onClose={() => setPicking(null)}
        title={picking?.item.name ?? ""}
        footer={
          picking && (
            <>
              <Button variant="secondary" onClick={() => setPicking(null)}>
                {t("common.cancel")}
              </Button>
              <Button onClick={() => add(picking)} data-testid="add-to-cart">
                {t("addDialog.submit", { amount: won(picking.item.priceKrw * picking.quantity) })}
              </Button>
            </>
          )
        }
      >
        {picking && (
          <div className="space-y-4">
            {picking.item.description && <p className="text-sm">{picking.item.description}</p>}
            <div className="flex items-center justify-between">
              <span className="font-semibold text-slate-800">{t("addDialog.quantity")}</span>
              <QuantityStepper
                value={picking.quantity}
                onChange={(quantity) => setPicking({ ...picking, quantity })}
                label={t("addDialog.quantity")}
                decreaseLabel={t("addDialog.decrease")}
                increaseLabel={t("addDialog.increase")}
              />
            </div>
          </div>
        )}
      </Dialog>

      <Dialog
        open={confirmSwitch !== null}
        onClose={() => setConfirmSwitch(null)}
        title={t("switchShop.title")}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmSwitch(null)}>
              {t("switchShop.keep")}
            </Button>
            <Button
              onClick={() => {
                if (confirmSwitch) commit(confirmSwitch);
                setConfirmSwitch(null);
              }}
            >
              {t("switchShop.confirm")}
            </Button>
          </>
        }
      >
        <p>{t("switchShop.body", { current: cart.shop?.name ?? "", next: shop.name })}</p>
      </Dialog>
    </div>
  );
}
