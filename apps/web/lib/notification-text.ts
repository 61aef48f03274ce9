"use client";
import { useLocale, useTranslations } from "next-intl";
import { useCallback } from "react";

/**
 * A notification's words. The notification context writes them in Korean (with details such as
 * the ETA and the rider's name), so Korean shows them as sent; other languages use the
 * translation of the notification's kind.
 */
export function useNotificationText() {
  const locale = useLocale();
  const t = useTranslations("notificationKinds");
  return useCallback(
    (n: { kind: string; title: string; body: string }) => {
      if (locale === "ko" || !t.has(`${n.kind}.title` as never)) return { title: n.title, body: n.body };
      return { title: t(`${n.kind}.title` as never), body: t(`${n.kind}.body` as never) };
    },
    [locale, t],
  );
}
