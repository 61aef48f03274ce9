"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { safeNextPath } from "@baedal/api/web/safe-redirect";
import { useErrorText } from "@/lib/errors";
import { keys } from "@/lib/queries";
import { problemOf, trpc } from "@/lib/trpc";
import { Alert, Button, Field } from "../ui";

const email = z.string().trim().email("email");
const signInForm = z.object({ email, password: z.string().min(1, "passwordRequired") });
const signUpForm = z.object({
  name: z.string().trim().min(1, "name").max(50, "name"),
  email,
  password: z.string().min(8, "password").max(200, "password"),
  phone: z.string().trim().regex(/^0\d{1,2}-?\d{3,4}-?\d{4}$/, "phone"),
});
type Mode = "signIn" | "signUp";
type Values = { name: string; email: string; password: string; phone: string };

export function AuthForm({ mode }: { mode: Mode }) {
  const t = useTranslations();
  const errorText = useErrorText();
  const router = useRouter();
  const params = useSearchParams();
  const qc = useQueryClient();
  const next = params.get("next");
  const [values, setValues] = useState<Values>({ name: "", email: "", password: "", phone: "" });
  const [errors, setErrors] = useState<Partial<Record<keyof Values, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const submit = useMutation({
    mutationFn: async (v: Values) =>
      mode === "signIn"
        ? trpc.identity.signIn.mutate({ email: v.email.trim(), password: v.password })
        : trpc.identity.signUp.mutate({ email: v.email.trim(), password: v.password, name: v.name.trim(), phone: v.phone.trim() }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.me });
      // Only a path on this app's own origin is followed (no open redirect).
      router.replace(safeNextPath(next, window.location.origin, "/"));
      router.refresh();
    },
    onError: (err) => {
      const fe = problemOf(err).fieldErrors;
      if (fe) {
        const mapped: Partial<Record<keyof Values, string>> = {};
        for (const k of Object.keys(fe) as (keyof Values)[]) mapped[k] = t(`validation.${k === "password" && mode === "signIn" ? "passwordRequired" : k}`);
        setErrors(mapped);
      }
      setFailure(errorText(err));
    },
  });

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const parsed = (mode === "signIn" ? signInForm : signUpForm).safeParse(values);
    if (!parsed.success) {
      const fe: Partial<Record<keyof Values, string>> = {};
      for (const i of parsed.error.issues) fe[i.path[0] as keyof Values] ??= t(`validation.${i.message}` as "validation.email");
      setErrors(fe);
      return;
    }
    submit.mutate(values);
  };
  const bind = (k: keyof Values) => ({
    value: values[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      setValues((v) => ({ ...v, [k]: e.target.value }));
      setErrors((er) => ({ ...er, [k]: undefined }));
    },
    error: errors[k],
    name: k,
  });

  // Passed on as it came: the other form checks it again before following it.
  const qs = next ? `?next=${encodeURIComponent(next)}` : "";
  return (
    <div className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">
      <div className="rounded-3xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-extrabold tracking-tight">{t(mode === "signIn" ? "auth.signInTitle" : "auth.signUpTitle")}</h1>
        <p className="mt-1 text-sm text-slate-500">{t(mode === "signIn" ? "auth.signInSub" : "auth.signUpSub")}</p>
        <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
          {mode === "signUp" && <Field label={t("auth.name")} autoComplete="name" required {...bind("name")} />}
          <Field label={t("auth.email")} type="email" autoComplete="email" inputMode="email" required {...bind("email")} />
          <Field
            label={t("auth.password")}
            type="password"
            autoComplete={mode === "signIn" ? "current-password" : "new-password"}
            hint={mode === "signUp" ? t("auth.passwordHint") : undefined}
            required
            {...bind("password")}
          />
          {mode === "signUp" && (
            <Field label={t("auth.phone")} type="tel" inputMode="tel" autoComplete="tel" placeholder="010-1234-5678" required {...bind("phone")} />
          )}
          {failure && <Alert>{failure}</Alert>}
          <Button type="submit" size="lg" className="w-full" busy={submit.isPending}>
            {submit.isPending ? t("auth.submitting") : t(mode === "signIn" ? "auth.submitSignIn" : "auth.submitSignUp")}
          </Button>
        </form>
        <p className="mt-6 text-center text-sm text-slate-600">
          {t(mode === "signIn" ? "auth.noAccount" : "auth.haveAccount")}{" "}
          <Link href={`${mode === "signIn" ? "/signup" : "/login"}${qs}`} className="font-semibold text-brand-700 underline-offset-2 hover:underline">
            {t(mode === "signIn" ? "nav.signUp" : "nav.signIn")}
          </Link>
        </p>
      </div>
      {mode === "signIn" && <p className="mt-4 text-center text-xs text-slate-400">{t("auth.demoHint")}</p>}
    </div>
  );
}
