"use client";
import { useTranslations } from "next-intl";
import { itemCount, itemsTotal, useCart } from "@/lib/cart";
import { useWon } from "@/lib/format";
import { CartLines, CartTotals } from "../cart/cart-lines";
import { CartIcon } from "../icons";
import { ButtonLink } from "../ui";

/** Desktop: the cart beside the menu. Phone: a bar at the bottom that leads to checkout. */
export function CartPanel() {
  const t = useTranslations("cart");
  const cart = useCart();
  const won = useWon();
  const total = itemsTotal(cart);
  const count = itemCount(cart);
  const belowMin = cart.shop ? total < cart.shop.minOrderKrw : true;

  return (
    <>
      <aside aria-label={t("title")} className="sticky top-24 hidden rounded-2xl border border-slate-200 bg-white p-5 lg:block">
        <h2 className="flex items-center gap-2 text-lg font-bold">
          <CartIcon size={20} /> {t("title")}
        </h2>
        {!cart.shop || cart.lines.length === 0 ? (
          <div className="py-8 text-center">
            <p className="font-medium text-slate-700">{t("empty")}</p>
            <p className="mt-1 text-sm text-slate-500">{t("emptyHint")}</p>
          </div>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-500">{cart.shop.name}</p>
            <CartLines cart={cart} />
            <div className="mt-2 border-t border-slate-100 pt-3">
              <CartTotals itemsTotal={total} deliveryFee={cart.shop.deliveryFeeKrw} minOrder={cart.shop.minOrderKrw} />
            </div>
            <ButtonLink href="/checkout" size="lg" className="mt-4 w-full" aria-disabled={belowMin || undefined}>
              {t("checkout")}
            </ButtonLink>
          </>
        )}
      </aside>
      {cart.shop && count > 0 && (
        <div className="fixed inset-x-0 bottom-0 z-20 border-t border-slate-200 bg-white/95 p-3 backdrop-blur lg:hidden">
          <ButtonLink href="/checkout" size="lg" className="w-full justify-between" data-testid="cart-bar">
            <span className="grid h-6 min-w-6 place-items-center rounded-full bg-white/25 px-1.5 text-sm">{count}</span>
            <span>{t("viewCart")}</span>
            <span className="tabular-nums">{won(total)}</span>
          </ButtonLink>
        </div>
      )}
    </>
  );
}
