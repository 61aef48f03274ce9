"use client";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { useMe, useSignOut } from "@/lib/session";
import type { Me, Role } from "@/lib/trpc";
import { Button } from "./ui/button";
import { Spinner } from "./ui/misc";
import { LockIcon } from "./ui/icons";

const roleName: Record<Role, string> = { SHOP_OWNER: "사장님", RIDER: "라이더", ADMIN: "운영자", CUSTOMER: "고객" };

/** Shows `children(me)` to a signed-in user of `role`; sends anyone else to sign in. */
export function RequireRole({ role, children }: { role: Role; children: (me: Me) => ReactNode }) {
  const { me, loading } = useMe();
  const signOut = useSignOut();
  useEffect(() => {
    if (!loading && !me) window.location.href = `/login?next=${encodeURIComponent(window.location.pathname)}`;
  }, [loading, me]);
  if (loading || !me) return <Spinner />;
  if (me.role !== role) {
    return (
      <main className="mx-auto flex min-h-[70vh] max-w-md flex-col items-center justify-center px-6 text-center">
        <span className="flex size-14 items-center justify-center rounded-2xl bg-slate-100 text-slate-500">
          <LockIcon size={28} />
        </span>
        <h1 className="mt-4 text-xl font-bold">{roleName[role]} 계정으로 로그인해 주세요</h1>
        <p className="mt-2 text-sm text-slate-500">
          지금은 {me.name}님({roleName[me.role]}) 계정으로 로그인되어 있어요.
        </p>
        <div className="mt-6 flex gap-2">
          <Link href="/" className="inline-flex h-10 items-center rounded-xl px-4 text-sm font-semibold text-slate-600 hover:bg-slate-100">
            콘솔 홈
          </Link>
          <Button onClick={() => signOut.mutate()} busy={signOut.isPending}>
            다른 계정으로 로그인
          </Button>
        </div>
      </main>
    );
  }
  return <>{children(me)}</>;
}
