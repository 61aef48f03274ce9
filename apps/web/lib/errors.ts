"use client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { problemOf } from "./trpc";

/**
 * Turns whatever an API call threw into a sentence in the UI's language: the stable `reason`
 * word first (INSUFFICIENT_FUNDS, PAYMENT_BUSY…), then the tRPC code, then a generic line.
 */
export function useErrorText() {
  const t = useTranslations("errors");
  return useCallback(
    (err: unknown): string => {
      const p = problemOf(err);
      if (p.code === "NETWORK") return t("network");
      for (const word of [p.reason, p.code]) {
        if (word && t.has(word as never)) return t(word as never);
      }
      return t("generic");
    },
    [t],
  );
}
