"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { safeNextPath } from "@baedal/api/web/safe-redirect";
import { Button } from "@/components/ui/button";
import { ErrorBox } from "@/components/ui/misc";
import { homeOf, meKey } from "@/lib/session";
import { api, koreanError } from "@/lib/trpc";

/** Demo log-ins (packages/api/src/seed/demo-data.ts); every password is baedal1234. */
const demoAccounts = [
  { email: "owner1@baedal.dev", who: "사장님", name: "바다회센터" },
  { email: "owner2@baedal.dev", who: "사장님", name: "바삭치킨 연남점" },
  { email: "rider1@baedal.dev", who: "라이더", name: "박라이더" },
  { email: "rider2@baedal.dev", who: "라이더", name: "최라이더" },
  { email: "admin@baedal.dev", who: "운영자", name: "관리자" },
];

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: (input: { email: string; password: string }) => api.identity.signIn.mutate(input),
    onSuccess: ({ user }) => {
      qc.setQueryData(meKey, user);
      // Only a path on this console's own origin is followed (no open redirect).
      router.replace(safeNextPath(params.get("next"), window.location.origin, homeOf[user.role]));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password });
  };
  const wrongRole = params.get("wrong") === "customer";

  return (
    <div className="w-full max-w-sm">
      <div className="mb-8 flex items-center gap-2 text-lg font-extrabold lg:hidden">
        <span className="flex size-9 items-center justify-center rounded-xl bg-brand-500 text-white">배</span>
        배달 파트너
      </div>
      <h2 className="text-2xl font-extrabold">파트너 로그인</h2>
      <p className="mt-1 text-sm text-slate-500">사장님, 라이더, 운영자 계정으로 로그인하세요.</p>
      {wrongRole && (
        <div className="mt-4">
          <ErrorBox>고객 계정은 배달 앱에서 이용해 주세요.</ErrorBox>
        </div>
      )}
      <form onSubmit={submit} className="mt-6 space-y-4">
        <label className="block">
          <span className="text-sm font-semibold text-slate-700">이메일</span>
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className="mt-1 block h-12 w-full rounded-xl border border-slate-300 bg-white px-4 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
            placeholder="owner1@baedal.dev"
          />
        </label>
        <label className="block">
          <span className="text-sm font-semibold text-slate-700">비밀번호</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className="mt-1 block h-12 w-full rounded-xl border border-slate-300 bg-white px-4 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
          />
        </label>
        {signIn.error && <ErrorBox>{koreanError(signIn.error)}</ErrorBox>}
        <Button type="submit" size="lg" className="w-full" busy={signIn.isPending}>
          로그인
        </Button>
      </form>
      <div className="mt-10">
        <p className="text-xs font-semibold text-slate-400">데모 계정 · 비밀번호 baedal1234</p>
        <ul className="mt-2 divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white">
          {demoAccounts.map((a) => (
            <li key={a.email}>
              <button
                type="button"
                onClick={() => {
                  setEmail(a.email);
                  setPassword("baedal1234");
                }}
                className="flex w-full items-center justify-between px-4 py-2.5 text-left text-sm hover:bg-slate-50"
              >
                <span>
                  <span className="font-semibold">{a.name}</span> <span className="text-slate-400">{a.who}</span>
                </span>
                <span className="text-xs text-slate-400">{a.email}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
