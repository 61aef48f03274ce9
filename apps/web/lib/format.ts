"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback } from "react";

const krw = new Intl.NumberFormat("ko-KR");

/** Money in KRW, grouped the Korean way: "59,000원" (ko) / "₩59,000" (en). */
export function useWon() {
  const t = useTranslations("common");
  return useCallback((amount: number) => t("won", { amount: krw.format(amount) }), [t]);
}

/** Times and dates in Seoul time, in the UI's language. */
export function useTimes() {
  const format = useFormatter();
  return {
    time: (iso: string) => format.dateTime(new Date(iso), { hour: "2-digit", minute: "2-digit" }),
    dateTime: (iso: string) =>
      format.dateTime(new Date(iso), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }),
    relative: (iso: string) => format.relativeTime(new Date(iso), new Date()),
  };
}

/** The first 8 characters of an id, as customers read it out to customer service. */
export const shortId = (id: string) => id.slice(0, 8).toUpperCase();
