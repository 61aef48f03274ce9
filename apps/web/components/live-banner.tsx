"use client";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useLive } from "@/lib/live";
import { WifiOffIcon } from "./icons";

/** Tells the customer when live updates are paused; hidden for short blips (under 2 s). */
export function LiveBanner() {
  const t = useTranslations("live");
  const { status } = useLive();
  const troubled = status === "offline" || status === "connecting";
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (!troubled) {
      setShow(false);
      return;
    }
    const timer = setTimeout(() => setShow(true), status === "offline" ? 0 : 2_000);
    return () => clearTimeout(timer);
  }, [troubled, status]);
  if (!show) return null;
  return (
    <div role="status" className="border-t border-amber-200 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900" data-testid="live-banner">
      <span className="inline-flex items-center gap-2">
        <WifiOffIcon size={16} />
        {status === "offline" ? t("offline") : t("reconnecting")}
      </span>
    </div>
  );
}
