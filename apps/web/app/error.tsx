"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { Button } from "@/components/ui";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations();
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center px-4 py-20 text-center">
      <h1 className="text-xl font-bold">{t("pages.errorTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("pages.errorBody")}</p>
      <div className="mt-6 flex gap-2">
        <Button onClick={reset}>{t("common.retry")}</Button>
        <Link href="/" className="inline-flex h-11 items-center rounded-xl border border-slate-300 px-4 font-semibold">
          {t("pages.goHome")}
        </Link>
      </div>
    </div>
  );
}
