"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { shopsQuery } from "@/lib/queries";
import { CategoryArt, type Category } from "../category-art";
import { SearchIcon, XIcon } from "../icons";
import { ShopCard } from "../shop-card";
import { Button, cx, EmptyState, ErrorState, Loading, Skeleton } from "../ui";
import { useErrorText } from "@/lib/errors";

const categories: Category[] = ["FISH", "CHICKEN", "PIZZA", "KOREAN", "BURGER", "DESSERT"];
const isCategory = (v: string | null): v is Category => categories.includes(v as Category);

/** Home: open shops by category, searchable by shop or dish name; the filter lives in the URL. */
export function HomeView() {
  const t = useTranslations("home");
  const tc = useTranslations("categories");
  const errorText = useErrorText();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const category = isCategory(params.get("category")) ? (params.get("category") as Category) : undefined;
  const search = params.get("q")?.trim() || undefined;
  const [draft, setDraft] = useState(search ?? "");
  useEffect(() => setDraft(search ?? ""), [search]);

  const setFilter = (next: { category?: Category; q?: string }) => {
    const sp = new URLSearchParams();
    if (next.category) sp.set("category", next.category);
    if (next.q) sp.set("q", next.q);
    const qs = sp.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  const shops = useQuery(shopsQuery({ category, search }));

  return (
    <div>
      <section className="bg-gradient-to-b from-brand-50 to-slate-50">
        <div className="mx-auto max-w-6xl px-4 pt-8 pb-6 sm:px-6 sm:pt-12">
          <h1 className="text-2xl font-extrabold tracking-tight sm:text-4xl">{t("greeting")}</h1>
          <p className="mt-1.5 text-slate-600">{t("sub")}</p>
          <form
            role="search"
            className="mt-5 flex max-w-2xl gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setFilter({ category, q: draft.trim() || undefined });
            }}
          >
            <div className="relative flex-1">
              <label htmlFor="shop-search" className="sr-only">
                {t("searchLabel")}
              </label>
              <SearchIcon size={20} className="pointer-events-none absolute top-1/2 left-3.5 -translate-y-1/2 text-slate-400" />
              <input
                id="shop-search"
                type="search"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                placeholder={t("searchPlaceholder")}
                maxLength={80}
                className="h-12 w-full rounded-2xl border border-slate-200 bg-white pr-10 pl-11 text-[15px] shadow-sm placeholder:text-slate-400 focus:border-brand-600"
              />
              {draft && (
                <button
                  type="button"
                  className="absolute top-1/2 right-2 grid size-8 -translate-y-1/2 place-items-center rounded-lg text-slate-400 hover:bg-slate-100"
                  aria-label={t("clearSearch")}
                  onClick={() => {
                    setDraft("");
                    setFilter({ category });
                  }}
                >
                  <XIcon size={16} />
                </button>
              )}
            </div>
            <Button type="submit" className="h-12 rounded-2xl px-5">
              {t("searchButton")}
            </Button>
          </form>
        </div>
      </section>

      <div className="mx-auto max-w-6xl px-4 pb-16 sm:px-6">
        <div role="group" aria-label={t("categoriesLabel")} className="-mx-4 flex gap-2 overflow-x-auto px-4 py-4 sm:mx-0 sm:flex-wrap sm:px-0">
          <CategoryChip label={t("allCategories")} pressed={!category} onClick={() => setFilter({ q: search })} />
          {categories.map((c) => (
            <CategoryChip
              key={c}
              label={tc(c)}
              category={c}
              pressed={category === c}
              onClick={() => setFilter({ category: category === c ? undefined : c, q: search })}
            />
          ))}
        </div>

        {shops.isPending ? (
          <Loading>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {Array.from({ length: 6 }, (_, i) => (
                <Skeleton key={i} className="h-26 sm:h-60" />
              ))}
            </div>
          </Loading>
        ) : shops.isError ? (
          <ErrorState message={`${t("loadError")} ${errorText(shops.error)}`} onRetry={() => void shops.refetch()} />
        ) : shops.data.length === 0 ? (
          <EmptyState
            title={t("empty")}
            hint={t("emptyHint")}
            action={
              <Button variant="secondary" onClick={() => setFilter({})}>
                {t("showAll")}
              </Button>
            }
          />
        ) : (
          <>
            <h2 className="mb-3 text-sm font-semibold text-slate-500" aria-live="polite">
              {search ? t("resultsFor", { query: search, count: shops.data.length }) : t("shopsHeading", { count: shops.data.length })}
            </h2>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {shops.data.map((shop) => (
                <li key={shop.id}>
                  <ShopCard shop={shop} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function CategoryChip({ label, pressed, onClick, category }: { label: string; pressed: boolean; onClick: () => void; category?: Category }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={cx(
        "flex h-11 shrink-0 items-center gap-2 rounded-full border pr-4 text-sm font-semibold whitespace-nowrap transition-colors",
        category ? "pl-1.5" : "pl-4",
        pressed ? "border-slate-900 bg-slate-900 text-white" : "border-slate-200 bg-white text-slate-700 hover:border-slate-300",
      )}
    >
      {category && <CategoryArt category={category} className="size-8 rounded-full" size={20} />}
      {label}
    </button>
  );
}
