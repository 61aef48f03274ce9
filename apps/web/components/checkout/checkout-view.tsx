"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { clearCart, itemsTotal, useCart, type Cart } from "@/lib/cart";
import { deliveryDetails, forgetAttempt, idempotencyKeyFor } from "@/lib/checkout";
import { useErrorText } from "@/lib/errors";
import { useWon } from "@/lib/format";
import { keys } from "@/lib/queries";
import { useSession } from "@/lib/session";
import { problemOf, trpc } from "@/lib/trpc";
import { CartLines, CartTotals } from "../cart/cart-lines";
import { CartIcon, LockIcon } from "../icons";
import { Alert, Button, ButtonLink, EmptyState, Field, Loading, Skeleton } from "../ui";
import { checkoutForm, formatCardNumber, serverFieldNames, type CheckoutField, type CheckoutForm } from "./checkout-form";

/** Failures after which the same attempt can never succeed: the next click needs a new key. */
const finalReasons = new Set(["INSUFFICIENT_FUNDS", "CARD_DECLINED", "INVALID_CARD", "ISSUER_TIMEOUT", "CHECKOUT_EXPIRED", "IDEMPOTENCY_KEY_REUSED"]);

const testCards = [
  { number: "4242 4242 4242 4242", label: "cardApproves" },
  { number: "4000 0000 0000 9995", label: "cardInsufficient" },
  { number: "4000 0000 0000 0002", label: "cardDeclined" },
  { number: "4000 0000 0000 0119", label: "cardSlow" },
] as const;

export function CheckoutView() {
  const t = useTranslations();
  const { user, isLoading, isCustomer } = useSession();
  const cart = useCart();
  const router = useRouter();

  useEffect(() => {
    if (!isLoading && !user) router.replace(`/login?next=${encodeURIComponent("/checkout")}`);
  }, [isLoading, user, router]);

  if (isLoading || !user) {
    return (
      <Loading>
        <div className="mx-auto max-w-5xl space-y-4 px-4 py-8 sm:px-6">
          <Skeleton className="h-10 w-48" />
          <Skeleton className="h-64" />
        </div>
      </Loading>
    );
  }
  if (!isCustomer) {
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        <Alert tone="warning">{t("auth.notCustomer")}</Alert>
      </div>
    );
  }
  if (!cart.shop || cart.lines.length === 0) {
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        <h1 className="mb-4 text-2xl font-extrabold">{t("checkout.title")}</h1>
        <EmptyState icon={<CartIcon size={36} className="text-slate-400" />} title={t("cart.empty")} hint={t("cart.emptyHint")} action={<ButtonLink href="/">{t("cart.browse")}</ButtonLink>} />
      </div>
    );
  }
  return <CheckoutLoaded cart={cart as Cart & { shop: NonNullable<Cart["shop"]> }} defaultPhone={user.phone} />;
}

function CheckoutLoaded({ cart, defaultPhone }: { cart: Cart & { shop: NonNullable<Cart["shop"]> }; defaultPhone: string }) {
  const t = useTranslations();
  const won = useWon();
  const errorText = useErrorText();
  const router = useRouter();
  const qc = useQueryClient();
  const saved = deliveryDetails.get();
  const [form, setForm] = useState<CheckoutForm>({
    address: saved.address,
    phone: saved.phone || defaultPhone,
    note: "",
    cardNumber: "",
  });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<CheckoutField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const failureRef = useRef<HTMLDivElement>(null);

  const total = itemsTotal(cart);
  const belowMin = total < cart.shop.minOrderKrw;
  const set = (field: CheckoutField) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = field === "cardNumber" ? formatCardNumber(e.target.value) : e.target.value;
    setForm((f) => ({ ...f, [field]: value }));
    setFieldErrors((fe) => ({ ...fe, [field]: undefined }));
  };

  const place = useMutation({
    mutationFn: async (input: { key: string; values: ReturnType<typeof checkoutForm.parse> }) =>
      trpc.order.place.mutate({
        idempotencyKey: input.key,
        shopId: cart.shop.id,
        lines: cart.lines.map((l) => ({ menuItemId: l.menuItemId, quantity: l.quantity })),
        deliveryAddress: input.values.address,
        phone: input.values.phone,
        note: input.values.note,
        cardNumber: input.values.cardNumber,
      }),
    onSuccess: ({ orderId }) => {
      forgetAttempt();
      clearCart();
      void qc.invalidateQueries({ queryKey: keys.myOrders });
      router.push(`/orders/${orderId}`);
    },
    onError: (err) => {
      const p = problemOf(err);
      if (p.reason && finalReasons.has(p.reason)) forgetAttempt();
      if (p.fieldErrors) {
        const fe: Partial<Record<CheckoutField, string>> = {};
        for (const [name, msgs] of Object.entries(p.fieldErrors)) {
          const field = serverFieldNames[name];
          if (field && msgs?.length) fe[field] = t(`validation.${field === "cardNumber" ? "card" : field}` as "validation.card");
        }
        setFieldErrors(fe);
      }
      setFailure(errorText(err));
      requestAnimationFrame(() => failureRef.current?.scrollIntoView({ block: "center", behavior: "smooth" }));
    },
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (place.isPending) return;
    setFailure(null);
    const parsed = checkoutForm.safeParse(form);
    if (!parsed.success) {
      const fe: Partial<Record<CheckoutField, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as CheckoutField;
        fe[field] ??= t(`validation.${issue.message}` as "validation.card");
      }
      setFieldErrors(fe);
      return;
    }
    deliveryDetails.set({ address: parsed.data.address, phone: parsed.data.phone });
    // One key per exact request, kept across retries until it succeeds or is refused for good.
    const fingerprint = JSON.stringify({
      shopId: cart.shop.id,
      lines: cart.lines.map((l) => [l.menuItemId, l.quantity]).sort(),
      address: parsed.data.address,
      phone: parsed.data.phone,
      note: parsed.data.note,
    });
    place.mutate({ key: idempotencyKeyFor(fingerprint), values: parsed.data });
  };

  return (
    <form onSubmit={submit} noValidate className="mx-auto grid max-w-5xl gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[1fr_380px] lg:py-10">
      <div className="space-y-6">
        <h1 className="text-2xl font-extrabold tracking-tight">{t("checkout.title")}</h1>

        <section aria-labelledby="delivery-heading" className="rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
          <h2 id="delivery-heading" className="mb-4 text-lg font-bold">
            {t("checkout.delivery")}
          </h2>
          <div className="space-y-4">
            <Field
              label={t("checkout.address")}
              name="address"
              autoComplete="street-address"
              placeholder={t("checkout.addressPlaceholder")}
              value={form.address}
              onChange={set("address")}
              error={fieldErrors.address}
              required
            />
            <Field
              label={t("checkout.phone")}
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder={t("checkout.phonePlaceholder")}
              value={form.phone}
              onChange={set("phone")}
              error={fieldErrors.phone}
              required
            />
            <Field
              label={t("checkout.note")}
              name="note"
              placeholder={t("checkout.notePlaceholder")}
              value={form.note}
              onChange={set("note")}
              maxLength={200}
              error={fieldErrors.note}
            />
            <p className="text-xs text-slate-500">{t("checkout.savedHint")}</p>
          </div>
        </section>

        <section aria-labelledby="payment-heading" className="rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
          <h2 id="payment-heading" className="mb-4 flex items-center gap-2 text-lg font-bold">
            <LockIcon size={18} /> {t("checkout.payment")}
          </h2>
          <Field
            label={t("checkout.cardNumber")}
            name="cardNumber"
            inputMode="numeric"
            autoComplete="cc-number"
            placeholder={t("checkout.cardPlaceholder")}
            value={form.cardNumber}
            onChange={set("cardNumber")}
            error={fieldErrors.cardNumber}
            inputClassName="tabular-nums tracking-wider"
            required
          />
          <div className="mt-4 rounded-xl bg-slate-50 p-4">
            <p className="text-sm font-semibold text-slate-700">{t("checkout.testCards")}</p>
            <p className="mt-0.5 text-xs text-slate-500">{t("checkout.testCardsHint")}</p>
            <ul className="mt-3 grid gap-2 sm:grid-cols-2">
              {testCards.map((c) => (
                <li key={c.number}>
                  <button
                    type="button"
                    className="flex w-full items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 text-left text-sm hover:border-slate-300"
                    onClick={() => {
                      setForm((f) => ({ ...f, cardNumber: c.number }));
                      setFieldErrors((fe) => ({ ...fe, cardNumber: undefined }));
                    }}
                    aria-label={t("checkout.useCard", { label: t(`checkout.${c.label}`) })}
                  >
                    <span className="font-medium tracking-wide text-slate-800 tabular-nums">{c.number}</span>
                    <span className="text-xs font-medium whitespace-nowrap text-slate-500">{t(`checkout.${c.label}`)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </section>
      </div>

      <aside className="lg:pt-14">
        <div className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5 sm:p-6 lg:sticky lg:top-24">
          <h2 className="text-lg font-bold">{t("checkout.orderFrom", { shop: cart.shop.name })}</h2>
          <CartLines cart={cart} />
          <CartTotals itemsTotal={total} deliveryFee={cart.shop.deliveryFeeKrw} minOrder={cart.shop.minOrderKrw} />
          {belowMin && (
            <Alert tone="warning">
              {t("checkout.belowMinimum", {
                shop: cart.shop.name,
                min: won(cart.shop.minOrderKrw),
                amount: won(cart.shop.minOrderKrw - total),
              })}
            </Alert>
          )}
          {failure && (
            <div ref={failureRef}>
              <Alert title={t("checkout.errorTitle")}>
                <p data-testid="checkout-error">{failure}</p>
                <p className="mt-1 text-red-800/80">{t("checkout.cartKept")}</p>
              </Alert>
            </div>
          )}
          <Button type="submit" size="lg" className="w-full" disabled={belowMin} busy={place.isPending} data-testid="place-order">
            {place.isPending ? t("checkout.paying") : t("checkout.pay", { amount: won(total + cart.shop.deliveryFeeKrw) })}
          </Button>
          <p className="text-center text-xs text-slate-500">{t("checkout.safeRetry")}</p>
        </div>
      </aside>
    </form>
  );
}
