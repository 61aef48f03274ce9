"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useSignOut } from "@/lib/session";

export interface NavItem {
  href: string;
  label: string;
}

/**
 * The console's top bar: brand and area, the area's sections, who is signed in. On phones the
 * sections get a row of their own so none hides behind the others.
 */
export function ConsoleHeader({ area, nav = [], userName, right }: { area: string; nav?: NavItem[]; userName: string; right?: ReactNode }) {
  const path = usePathname();
  const signOut = useSignOut();
  const links = (className: string) =>
    nav.map((n) => {
      const active = n.href === path || (n.href !== nav[0]?.href && path.startsWith(n.href));
      return (
        <Link
          key={n.href}
          href={n.href}
          aria-current={active ? "page" : undefined}
          className={`flex items-center justify-center rounded-lg py-1.5 text-sm font-semibold whitespace-nowrap transition ${
            active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"
          } ${className}`}
        >
          {n.label}
        </Link>
      );
    });
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="flex h-14 items-center gap-3 px-4 sm:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 font-extrabold tracking-tight" aria-label="배달 파트너 홈">
          <span className="flex size-8 items-center justify-center rounded-xl bg-brand-500 text-sm text-white">배</span>
          <span className="hidden sm:inline">
            배달 <span className="font-semibold text-slate-400">파트너</span>
          </span>
        </Link>
        <span className="shrink-0 rounded-lg bg-slate-100 px-2 py-1 text-xs font-bold text-slate-600">{area}</span>
        {nav.length > 0 && (
          <nav className="ml-1 hidden items-center gap-1 md:flex" aria-label="메뉴">
            {links("shrink-0 px-3")}
          </nav>
        )}
        <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
          {right}
          <span className="hidden text-sm font-medium text-slate-600 lg:inline">{userName}님</span>
          <button
            type="button"
            onClick={() => signOut.mutate()}
            className="shrink-0 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-500 hover:bg-slate-100 hover:text-slate-800"
          >
            로그아웃
          </button>
        </div>
      </div>
      {nav.length > 0 && (
        <nav className="flex gap-1 overflow-x-auto border-t border-slate-100 px-2 py-1.5 md:hidden" aria-label="메뉴">
          {links("min-w-fit flex-1 px-2")}
        </nav>
      )}
    </header>
  );
}
