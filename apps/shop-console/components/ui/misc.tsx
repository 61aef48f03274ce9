import type { ReactNode } from "react";
import type { LiveStatus } from "@/lib/live-stream";

export function Spinner({ label = "불러오는 중" }: { label?: string }) {
  return (
    <div className="flex items-center justify-center gap-3 py-16 text-sm text-slate-500" role="status">
      <span className="size-5 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" aria-hidden />
      {label}
    </div>
  );
}

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-2xl border border-dashed border-slate-200 bg-white/60 px-6 py-10 text-center">
      {icon && <div className="mb-3 flex size-12 items-center justify-center rounded-2xl bg-slate-100 text-slate-400">{icon}</div>}
      <p className="font-semibold text-slate-700">{title}</p>
      {children && <div className="mt-1 text-sm text-slate-500">{children}</div>}
    </div>
  );
}

export function ErrorBox({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="rounded-xl bg-rose-50 px-4 py-3 text-sm text-rose-700 ring-1 ring-inset ring-rose-200">
      {children}
    </div>
  );
}

const liveLabel: Record<LiveStatus, string> = { live: "실시간 연결됨", connecting: "연결 중…", offline: "오프라인" };
const liveDot: Record<LiveStatus, string> = { live: "bg-emerald-500", connecting: "bg-amber-400", offline: "bg-rose-500" };

/** The stream's state, always visible: a shop must know its board is live. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span className="inline-flex items-center gap-2 text-xs font-medium text-slate-500" data-live={status}>
      <span className="relative flex size-2.5">
        {status === "live" && <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" />}
        <span className={`relative inline-flex size-2.5 rounded-full ${liveDot[status]}`} />
      </span>
      {liveLabel[status]}
    </span>
  );
}

/** A labelled on/off switch. */
export function Toggle({
  checked,
  onChange,
  label,
  disabled,
  tone = "emerald",
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  disabled?: boolean;
  /** "onDark": for a switch on a coloured card. */
  tone?: "emerald" | "brand" | "onDark";
}) {
  const on = tone === "emerald" ? "bg-emerald-500" : tone === "brand" ? "bg-brand-500" : "bg-white/40 ring-2 ring-white/70";
  const off = tone === "onDark" ? "bg-white/15 ring-2 ring-white/30" : "bg-slate-300";
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className={`relative inline-flex h-7 w-12 shrink-0 items-center rounded-full transition disabled:opacity-50 ${checked ? on : off}`}
    >
      <span className={`inline-block size-5 rounded-full bg-white shadow transition ${checked ? "translate-x-6" : "translate-x-1"}`} />
    </button>
  );
}
