"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { useTimes } from "@/lib/format";
import { useNotificationText } from "@/lib/notification-text";
import { keys, notificationsQuery, unreadCountQuery } from "@/lib/queries";
import { trpc } from "@/lib/trpc";
import { BellIcon } from "./icons";
import { Button, cx, Skeleton } from "./ui";

/** The bell: unread count on the icon, the latest notifications in a panel. */
export function NotificationBell() {
  const t = useTranslations("notifications");
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const qc = useQueryClient();
  const count = useQuery(unreadCountQuery()).data?.count ?? 0;
  const list = useQuery({ ...notificationsQuery(), enabled: open });
  const text = useNotificationText();
  const times = useTimes();

  const markAll = useMutation({
    mutationFn: () => trpc.notification.markAllRead.mutate(),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.unreadCount });
      void qc.invalidateQueries({ queryKey: keys.notifications });
    },
  });
  const markOne = useMutation({
    mutationFn: (id: string) => trpc.notification.markRead.mutate({ notificationIds: [id] }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.unreadCount });
      void qc.invalidateQueries({ queryKey: keys.notifications });
    },
  });

  // Close on Escape and on a click outside, as a menu would.
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

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        className="relative grid size-10 place-items-center rounded-xl text-slate-700 hover:bg-slate-100"
        aria-label={count ? t("bellWithCount", { count }) : t("bell")}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="bell"
      >
        <BellIcon size={22} />
        {count > 0 && (
          <span
            data-testid="unread-count"
            className="absolute top-1 right-1 grid h-[18px] min-w-[18px] place-items-center rounded-full bg-brand-600 px-1 text-[11px] leading-none font-bold text-white ring-2 ring-white"
          >
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      {open && (
        <div
          id={panelId}
          role="region"
          aria-label={t("title")}
          className="fixed inset-x-3 top-16 z-40 max-h-[70vh] overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-xl sm:absolute sm:inset-x-auto sm:top-12 sm:right-0 sm:w-96"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
            <h2 className="font-bold">{t("title")}</h2>
            <Button variant="ghost" size="sm" onClick={() => markAll.mutate()} disabled={count === 0} busy={markAll.isPending}>
              {t("markAllRead")}
            </Button>
          </div>
          <div className="max-h-[calc(70vh-3.5rem)] overflow-y-auto">
            {list.isPending ? (
              <div className="space-y-3 p-4">
                <Skeleton className="h-12" />
                <Skeleton className="h-12" />
              </div>
            ) : list.isError ? (
              <p className="p-4 text-sm text-red-600">{t("loadError")}</p>
            ) : list.data.length === 0 ? (
              <p className="p-6 text-center text-sm text-slate-500">{t("empty")}</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {list.data.map((n) => {
                  const words = text(n);
                  const unread = !n.readAt;
                  const body = (
                    <>
                      <span className="flex items-start justify-between gap-2">
                        <span className={cx("text-sm", unread ? "font-bold text-slate-900" : "font-medium text-slate-700")}>
                          {words.title}
                        </span>
                        {unread && (
                          <span className="mt-1.5 size-2 shrink-0 rounded-full bg-brand-600">
                            <span className="sr-only">{t("unread")}</span>
                          </span>
                        )}
                      </span>
                      <span className="mt-0.5 block text-sm text-slate-600">{words.body}</span>
                      <span className="mt-1 block text-xs text-slate-400">{times.relative(n.createdAt)}</span>
                    </>
                  );
                  return (
                    <li key={n.id}>
                      {n.orderId ? (
                        <Link
                          href={`/orders/${n.orderId}`}
                          className="block px-4 py-3 hover:bg-slate-50"
                          onClick={() => {
                            if (unread) markOne.mutate(n.id);
                            setOpen(false);
                          }}
                        >
                          {body}
                        </Link>
                      ) : (
                        <div className="px-4 py-3">{body}</div>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
