"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect } from "react";
import { useLive } from "@/lib/live";
import { useNotificationText } from "@/lib/notification-text";
import { useToasts } from "@/lib/toast";
import { BellIcon, CheckIcon, XIcon } from "./icons";

/** Every live notification becomes a toast; the region is announced politely by screen readers. */
export function NotificationToasts() {
  const { onNotification } = useLive();
  const { toasts, push, dismiss } = useToasts();
  const text = useNotificationText();
  const t = useTranslations("notifications");

  useEffect(
    () =>
      onNotification((n) => {
        const { title, body } = text(n);
        push({ title, body, href: n.orderId ? `/orders/${n.orderId}` : undefined });
      }),
    [onNotification, push, text],
  );

  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 top-16 z-50 flex flex-col items-center gap-2 px-3 sm:inset-x-auto sm:right-4 sm:items-end"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role="status"
          data-testid="toast"
          className="pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-2xl border border-slate-200 bg-white/95 p-4 shadow-lg backdrop-blur"
        >
          {toast.tone === "success" ? (
            <span className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-full bg-emerald-100 text-emerald-700">
              <CheckIcon size={16} />
            </span>
          ) : (
            <span className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-full bg-brand-100 text-brand-700">
              <BellIcon size={16} />
            </span>
          )}
          <div className="min-w-0 flex-1">
            {toast.href ? (
              <Link href={toast.href} className="font-semibold text-slate-900 hover:underline" onClick={() => dismiss(toast.id)}>
                {toast.title}
              </Link>
            ) : (
              <p className="font-semibold text-slate-900">{toast.title}</p>
            )}
            {toast.body && <p className="mt-0.5 text-sm text-slate-600">{toast.body}</p>}
          </div>
          <button
            type="button"
            onClick={() => dismiss(toast.id)}
            className="grid size-7 shrink-0 place-items-center rounded-lg text-slate-400 hover:bg-slate-100 hover:text-slate-600"
            aria-label={t("dismiss")}
          >
            <XIcon size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}
