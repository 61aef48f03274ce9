import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "./login-form";
import { ScooterIcon, ShieldIcon, StoreIcon } from "@/components/ui/icons";

export const metadata: Metadata = { title: "로그인" };

export default function LoginPage() {
  return (
    <main className="grid min-h-screen lg:grid-cols-[1.1fr_1fr]">
      <section className="relative hidden overflow-hidden bg-slate-900 p-12 text-white lg:flex lg:flex-col">
        <div className="flex items-center gap-2 text-lg font-extrabold">
          <span className="flex size-9 items-center justify-center rounded-xl bg-brand-500">배</span>
          배달 파트너
        </div>
        <div className="mt-auto max-w-md">
          <h1 className="text-4xl leading-tight font-extrabold">
            주문 접수부터 배달 완료까지,
            <br />
            <span className="text-brand-500">한 화면에서 실시간으로.</span>
          </h1>
          <ul className="mt-8 space-y-3 text-slate-300">
            <li className="flex items-center gap-3">
              <StoreIcon className="text-brand-500" /> 사장님 — 실시간 주문 보드와 메뉴 관리
            </li>
            <li className="flex items-center gap-3">
              <ScooterIcon className="text-brand-500" /> 라이더 — 배달 콜 수락, 오늘의 수익과 정산
            </li>
            <li className="flex items-center gap-3">
              <ShieldIcon className="text-brand-500" /> 운영자 — 메뉴 검수, 고객센터, 배달 리포트
            </li>
          </ul>
        </div>
        <div className="pointer-events-none absolute -top-24 -right-24 size-96 rounded-full bg-brand-500/20 blur-3xl" />
      </section>
      <section className="flex items-center justify-center px-6 py-12">
        <Suspense>
          <LoginForm />
        </Suspense>
      </section>
    </main>
  );
}
