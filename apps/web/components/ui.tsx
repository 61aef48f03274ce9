"use client";
/** The app's building blocks: buttons, fields, states (loading / empty / error), badges, dialogs. */
import { useTranslations } from "next-intl";
import Link from "next/link";
import { forwardRef, useEffect, useId, useRef, type ComponentProps, type ReactNode } from "react";
import { AlertIcon, MinusIcon, PlusIcon } from "./icons";

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");
export { cx };

const buttonStyles = {
  primary: "bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:bg-slate-300 disabled:text-slate-500",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400",
  ghost: "text-slate-700 hover:bg-slate-100 disabled:text-slate-400",
  danger: "border border-red-200 bg-white text-red-700 hover:bg-red-50 disabled:text-slate-400",
} as const;
const buttonSizes = { sm: "h-9 px-3 text-sm", md: "h-11 px-4 text-[15px]", lg: "h-14 px-6 text-base" } as const;

export interface ButtonProps extends ComponentProps<"button"> {
  variant?: keyof typeof buttonStyles;
  size?: keyof typeof buttonSizes;
  busy?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "primary", size = "md", busy, className, children, disabled, ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      className={cx(
        "inline-flex items-center justify-center gap-2 rounded-xl font-semibold transition-colors disabled:cursor-not-allowed",
        buttonStyles[variant],
        buttonSizes[size],
        className,
      )}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <Spinner />}
      {children}
    </button>
  );
});

export function ButtonLink({
  variant = "primary",
  size = "md",
  className,
  ...rest
}: ComponentProps<typeof Link> & { variant?: keyof typeof buttonStyles; size?: keyof typeof buttonSizes }) {
  return (
    <Link
      className={cx(
        "inline-flex items-center justify-center gap-2 rounded-xl font-semibold transition-colors",
        buttonStyles[variant],
        buttonSizes[size],
        className,
      )}
      {...rest}
    />
  );
}

export function Spinner({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx("inline-block size-4 animate-spin rounded-full border-2 border-current border-r-transparent", className)}
    />
  );
}

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cx("animate-pulse rounded-xl bg-slate-200/70", className)} />;
}

/** A loading placeholder with a label for screen readers. */
export function Loading({ children, label }: { children: ReactNode; label?: string }) {
  const t = useTranslations("common");
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">{label ?? t("loading")}</span>
      {children}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const t = useTranslations("common");
  return (
    <div role="alert" className="flex flex-col items-center gap-3 rounded-2xl border border-red-100 bg-red-50/60 px-6 py-10 text-center">
      <AlertIcon size={28} className="text-red-500" />
      <p className="font-medium text-slate-800">{message}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" onClick={onRetry}>
          {t("retry")}
        </Button>
      )}
    </div>
  );
}

export function EmptyState({ title, hint, action, icon }: { title: string; hint?: string; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-2xl border border-dashed border-slate-200 bg-white px-6 py-12 text-center">
      {icon && <div className="mb-1 text-4xl" aria-hidden="true">{icon}</div>}
      <p className="font-semibold text-slate-800">{title}</p>
      {hint && <p className="text-sm text-slate-500">{hint}</p>}
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}

/** An error banner for a failed action (role=alert, so it is announced when it appears). */
export function Alert({ title, children, tone = "error" }: { title?: string; children: ReactNode; tone?: "error" | "warning" }) {
  return (
    <div
      role="alert"
      className={cx(
        "flex gap-3 rounded-xl border px-4 py-3 text-sm",
        tone === "error" ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900",
      )}
    >
      <AlertIcon size={18} className="mt-0.5 shrink-0" />
      <div>
        {title && <p className="font-semibold">{title}</p>}
        <div>{children}</div>
      </div>
    </div>
  );
}

export function Badge({ tone = "neutral", children, className }: { tone?: "neutral" | "brand" | "green" | "red" | "blue"; children: ReactNode; className?: string }) {
  const tones = {
    neutral: "bg-slate-100 text-slate-600",
    brand: "bg-brand-100 text-brand-800",
    green: "bg-emerald-50 text-emerald-700",
    red: "bg-red-50 text-red-700",
    blue: "bg-sky-50 text-sky-700",
  };
  return (
    <span className={cx("inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold", tones[tone], className)}>
      {children}
    </span>
  );
}

const inputClass =
  "block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-[15px] text-slate-900 placeholder:text-slate-400 transition-colors hover:border-slate-400 focus:border-brand-600 aria-invalid:border-red-500";

/** A labelled input with its hint and error tied to it (aria-describedby). */
export const Field = forwardRef<
  HTMLInputElement,
  ComponentProps<"input"> & { label: string; hint?: string; error?: string | null; inputClassName?: string }
>(function Field({ label, hint, error, className, inputClassName, id, ...rest }, ref) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="mb-1.5 block text-sm font-semibold text-slate-700">
        {label}
      </label>
      <input
        ref={ref}
        id={inputId}
        className={cx(inputClass, inputClassName)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint && hintId, error && errorId].filter(Boolean).join(" ") || undefined}
        {...rest}
      />
      {hint && !error && (
        <p id={hintId} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
});

export function QuantityStepper({
  value,
  onChange,
  min = 1,
  max = 50,
  label,
  decreaseLabel,
  increaseLabel,
  size = "md",
}: {
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  label: string;
  decreaseLabel: string;
  increaseLabel: string;
  size?: "sm" | "md";
}) {
  const btn = size === "sm" ? "size-8" : "size-10";
  return (
    <div role="group" aria-label={label} className="inline-flex items-center rounded-xl border border-slate-300 bg-white">
      <button type="button" className={cx(btn, "grid place-items-center rounded-l-xl text-slate-700 hover:bg-slate-50 disabled:text-slate-300")} onClick={() => onChange(value - 1)} disabled={value <= min} aria-label={decreaseLabel}>
        <MinusIcon size={16} />
      </button>
      <output aria-live="polite" className={cx("min-w-8 text-center font-semibold tabular-nums", size === "sm" ? "text-sm" : "")}>
        {value}
      </output>
      <button type="button" className={cx(btn, "grid place-items-center rounded-r-xl text-slate-700 hover:bg-slate-50 disabled:text-slate-300")} onClick={() => onChange(value + 1)} disabled={value >= max} aria-label={increaseLabel}>
        <PlusIcon size={16} />
      </button>
    </div>
  );
}

/**
 * A modal dialog on the native <dialog> element: focus moves into it and is trapped, Escape
 * closes it, and focus returns to what opened it.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  footer,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(e) => e.target === ref.current && onClose()}
      className="m-auto w-[min(100%-2rem,28rem)] rounded-2xl bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/40"
    >
      {open && (
        <div className="p-6">
          <h2 id={titleId} className="text-lg font-bold">
            {title}
          </h2>
          <div className="mt-3 text-slate-600">{children}</div>
          {footer && <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}
