"use client";
import { useTranslations } from "next-intl";
import { useTimes, useWon } from "@/lib/format";
import type { OrderView } from "@/lib/trpc";
import { CheckIcon, XIcon } from "../icons";
import { cx } from "../ui";
import { progressSteps, stepOfEvent, type Step } from "./status";

interface Row {
  step: Step;
  at: string | null;
  state: "done" | "current" | "upcoming" | "stopped";
  detail: string | null;
}

/**
 * The order's history as steps: those reached (with their time and details), the current one
 * highlighted, and what is still to come. A cancelled order shows how far it got, then the
 * cancellation and the refund.
 */
export function StatusTimeline({ view }: { view: OrderView }) {
  const t = useTranslations("timeline");
  const times = useTimes();
  const won = useWon();
  const reached = new Map<Step, string>();
  for (const s of view.timeline) {
    const step = stepOfEvent[s.type];
    if (step && !reached.has(step)) reached.set(step, s.at);
  }

  const detailOf = (step: Step): string | null => {
    if (step === "ACCEPTED" && view.prepMinutes != null && view.etaAt)
      return t("acceptedDetail", { minutes: view.prepMinutes, time: times.time(view.etaAt) });
    if (step === "RIDER_ASSIGNED" && view.riderName)
      return t(view.deliveryStatus === "CANCELLED" ? "riderCallCancelled" : "riderDetail", { name: view.riderName });
    if (step === "REFUNDED" && view.refundedKrw != null) return t("refundDetail", { amount: won(view.refundedKrw) });
    return null;
  };

  let rows: Row[];
  if (view.status === "CANCELLED") {
    rows = progressSteps
      .filter((s) => reached.has(s))
      .map((step): Row => ({ step, at: reached.get(step)!, state: "done", detail: detailOf(step) }));
    rows.push({ step: "CANCELLED", at: reached.get("CANCELLED") ?? null, state: "stopped", detail: null });
    if (reached.has("REFUNDED") || view.refundedKrw != null)
      rows.push({ step: "REFUNDED", at: reached.get("REFUNDED") ?? null, state: "done", detail: detailOf("REFUNDED") });
  } else {
    const currentIndex = progressSteps.indexOf(view.status as (typeof progressSteps)[number]);
    rows = progressSteps.map((step, i): Row => ({
      step,
      at: reached.get(step) ?? null,
      state: i < currentIndex ? "done" : i === currentIndex ? (step === "DELIVERED" ? "done" : "current") : "upcoming",
      detail: i <= currentIndex ? detailOf(step) : null,
    }));
  }

  return (
    <ol className="relative" data-testid="timeline">
      {rows.map((row, i) => {
        const last = i === rows.length - 1;
        return (
          <li
            key={row.step}
            className="relative flex gap-4 pb-6 last:pb-0"
            data-step={row.step}
            data-state={row.state}
            aria-current={row.state === "current" ? "step" : undefined}
          >
            {!last && (
              <span
                aria-hidden="true"
                className={cx("absolute top-8 bottom-0 left-[15px] w-0.5", row.state === "done" ? "bg-brand-500" : "bg-slate-200")}
              />
            )}
            <span
              aria-hidden="true"
              className={cx(
                "relative z-10 grid size-8 shrink-0 place-items-center rounded-full border-2",
                row.state === "done" && "border-brand-600 bg-brand-600 text-white",
                row.state === "current" && "border-brand-600 bg-white text-brand-600",
                row.state === "upcoming" && "border-slate-200 bg-white text-slate-300",
                row.state === "stopped" && "border-red-500 bg-red-500 text-white",
              )}
            >
              {row.state === "done" ? (
                <CheckIcon size={16} />
              ) : row.state === "stopped" ? (
                <XIcon size={16} />
              ) : row.state === "current" ? (
                <span className="size-2.5 animate-pulse rounded-full bg-brand-600" />
              ) : (
                <span className="size-2 rounded-full bg-slate-300" />
              )}
            </span>
            <div className="min-w-0 flex-1 pt-1">
              <div className="flex items-baseline justify-between gap-x-3">
                <p
                  className={cx(
                    "min-w-0 font-semibold",
                    row.state === "upcoming" ? "text-slate-400" : row.state === "stopped" ? "text-red-700" : "text-slate-900",
                  )}
                >
                  {t(row.step)}
                  {row.state === "current" && <span className="sr-only"> ({t("current")})</span>}
                </p>
                <span className="shrink-0 text-sm text-slate-500 tabular-nums">{row.at ? times.time(row.at) : row.state === "upcoming" ? t("upcoming") : ""}</span>
              </div>
              {row.detail && <p className="mt-0.5 text-sm text-slate-600">{row.detail}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
