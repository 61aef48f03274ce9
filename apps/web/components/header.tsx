"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { localeCookie, type Locale } from "@/i18n/locales";
import { itemCount, useCart } from "@/lib/cart";
import { useSession } from "@/lib/session";
import { trpc } from "@/lib/trpc";
import { CartIcon, GlobeIcon, ReceiptIcon, UserIcon } from "./icons";
import { NotificationBell } from "./notification-bell";
import { LiveBanner } from "./live-banner";
import { cx } from "./ui";

function LocaleSwitch() {
  const t = useTranslations("nav");
  const locale = useLocale() as Locale;
  const router = useRouter();
  const [pending, start] = useTransition();
  const next: Locale = locale === "ko" ? "en" : "ko";
  return (
    <button
      type="button"
      className="flex h-10 items-center gap-1.5 rounded-xl px-2.5 text-sm font-semibold text-slate-600 hover:bg-slate-100"
      lang={next}
      aria-label={`${t("language")}: ${t("switchTo")}`}
      disabled={pending}
      onClick={() => {
        document.cookie = `${localeCookie}=${next}; path=/; max-age=31536000; samesite=lax`;
        start(() => router.refresh());
      }}
    >
      <GlobeIcon size={18} />
      <span className="hidden sm:inline">{t("switchTo")}</span>
      <span className="sm:hidden">{t("switchToShort")}</span>
    </button>
  );
}

function AccountMenu() {
  const t = useTranslations("nav");
  const { user, isLoading } = useSession();
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  if (isLoading) return <div className="size-10" />;
  if (!user) {
    const next = pathname && pathname !== "/login" && pathname !== "/signup" ? `?next=${encodeURIComponent(pathname)}` : "";
    return (
      <Link href={`/login${next}`} className="flex h-10 items-center rounded-xl px-3 text-sm font-semibold text-slate-700 hover:bg-slate-100">
        {t("signIn")}
      </Link>
    );
  }
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        className="flex h-10 items-center gap-2 rounded-xl px-2 text-sm font-semibold text-slate-700 hover:bg-slate-100"
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen((o) => !o)}
      >
        <UserIcon size={20} />
        <span className="hidden max-w-24 truncate sm:inline">{user.name}</span>
        <span className="sr-only sm:hidden">{t("account")}</span>
      </button>
      {open && (
        <div className="absolute top-12 right-0 z-40 w-52 rounded-2xl border border-slate-200 bg-white p-1.5 shadow-xl">
          <p className="truncate px-3 py-2 text-xs text-slate-500">{user.email}</p>
          <Link href="/orders" className="block rounded-xl px-3 py-2.5 text-sm font-medium hover:bg-slate-50" onClick={() => setOpen(false)}>
            {t("orders")}
          </Link>
          <button
            type="button"
            className="block w-full rounded-xl px-3 py-2.5 text-left text-sm font-medium hover:bg-slate-50"
            onClick={async () => {
              setOpen(false);
              await trpc.identity.signOut.mutate().catch(() => undefined);
              qc.clear();
              router.push("/");
              router.refresh();
            }}
          >
            {t("signOut")}
          </button>
        </div>
      )}
    </div>
  );
}

export function Header() {
  const t = useTranslations();
  const cart = useCart();
  const count = itemCount(cart);
  const { user } = useSession();
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200/80 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-2 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 rounded-lg text-xl font-extrabold tracking-tight">
          <span className="grid size-8 place-items-center rounded-xl bg-brand-600 text-base text-white" aria-hidden="true">
            배
          </span>
          <span className="sm:hidden">
            <span className="text-brand-600">{t("common.brand")}</span>
          </span>
          <span className="hidden sm:inline">
            <span className="text-brand-600">배달</span>
            <span className="ml-1 text-slate-900">Baedal</span>
          </span>
        </Link>
        <nav aria-label={t("nav.mainNav")} className="flex items-center gap-0.5 sm:gap-1">
          {user && (
            <Link
              href="/orders"
              className="flex h-10 items-center gap-1.5 rounded-xl px-2.5 text-sm font-semibold text-slate-700 hover:bg-slate-100"
            >
              <ReceiptIcon size={20} />
              <span className="hidden sm:inline">{t("nav.orders")}</span>
              <span className="sr-only sm:hidden">{t("nav.orders")}</span>
            </Link>
          )}
          {user?.role === "CUSTOMER" && <NotificationBell />}
          <Link
            href="/checkout"
            className="relative grid size-10 place-items-center rounded-xl text-slate-700 hover:bg-slate-100"
            aria-label={count ? t("nav.cartWithCount", { count }) : t("nav.cart")}
            data-testid="cart-link"
          >
            <CartIcon size={22} />
            {count > 0 && (
              <span
                className={cx(
                  "absolute top-1 right-0.5 grid h-[18px] min-w-[18px] place-items-center rounded-full bg-slate-900 px-1 text-[11px] leading-none font-bold text-white ring-2 ring-white",
                )}
              >
                {count}
              </span>
            )}
          </Link>
          <LocaleSwitch />
          <AccountMenu />
        </nav>
      </div>
      <LiveBanner />
    </header>
  );
}
