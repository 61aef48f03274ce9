"use client";
import { useTranslations } from "next-intl";
import { useWon } from "@/lib/format";
import { setQuantity, type Cart } from "@/lib/cart";
import { XIcon } from "../icons";
import { QuantityStepper } from "../ui";

/** The cart's lines with a quantity stepper each (0 removes the line). */
export function CartLines({ cart }: { cart: Cart }) {
  const t = useTranslations();
  const won = useWon();
  return (
    <ul className="divide-y divide-slate-100">
      {cart.lines.map((l) => (
        <li key={l.menuItemId} className="flex items-center gap-3 py-3" data-testid="cart-line">
          <div className="min-w-0 flex-1">
            <p className="truncate font-medium text-slate-900">{l.name}</p>
            <p className="text-sm text-slate-500 tabular-nums">{won(l.priceKrw * l.quantity)}</p>
          </div>
          <QuantityStepper
            size="sm"
            value={l.quantity}
            min={1}
            onChange={(q) => setQuantity(l.menuItemId, q)}
            label={t("cart.quantityOf", { name: l.name })}
            decreaseLabel={t("addDialog.decrease")}
            increaseLabel={t("addDialog.increase")}
          />
          <button
            type="button"
            onClick={() => setQuantity(l.menuItemId, 0)}
            className="grid size-8 place-items-center rounded-lg text-slate-400 hover:bg-slate-100 hover:text-slate-700"
            aria-label={t("cart.remove", { name: l.name })}
          >
            <XIcon size={16} />
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Items total, delivery fee and total, with how far the cart is from the minimum order. */
export function CartTotals({ itemsTotal, deliveryFee, minOrder }: { itemsTotal: number; deliveryFee: number; minOrder: number }) {
  const t = useTranslations("cart");
  const won = useWon();
  const missing = Math.max(0, minOrder - itemsTotal);
  return (
    <div className="space-y-2 text-sm">
      <div className="flex justify-between text-slate-600">
        <span>{t("itemsTotal")}</span>
        <span className="tabular-nums">{won(itemsTotal)}</span>
      </div>
      <div className="flex justify-between text-slate-600">
        <span>{t("deliveryFee")}</span>
        <span className="tabular-nums">{won(deliveryFee)}</span>
      </div>
      <div className="flex justify-between border-t border-slate-100 pt-2 text-base font-bold text-slate-900">
        <span>{t("total")}</span>
        <span className="tabular-nums" data-testid="cart-total">
          {won(itemsTotal + deliveryFee)}
        </span>
      </div>
      {missing > 0 && (
        <div className="pt-1">
          <div className="h-1.5 overflow-hidden rounded-full bg-slate-100">
            <div className="h-full rounded-full bg-brand-500" style={{ width: `${Math.min(100, (itemsTotal / minOrder) * 100)}%` }} />
          </div>
          <p className="mt-1.5 text-xs font-medium text-brand-700">{t("belowMinimum", { amount: won(missing) })}</p>
        </div>
      )}
    </div>
  );
}
