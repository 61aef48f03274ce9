"use client";
import type { ReactNode } from "react";
import { ConsoleHeader } from "@/components/console-header";
import { RequireRole } from "@/components/require-role";

/** The platform admin's area (a laptop): menu review, customer service, report, parked events. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <RequireRole role="ADMIN">
      {(me) => (
        <div className="flex min-h-screen flex-col">
          <ConsoleHeader
            area="운영자"
            userName={me.name}
            nav={[
              { href: "/admin", label: "메뉴 검수" },
              { href: "/admin/orders", label: "고객센터" },
              { href: "/admin/report", label: "배달 리포트" },
              { href: "/admin/dead-letters", label: "이벤트 처리" },
            ]}
          />
          <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6">{children}</main>
        </div>
      )}
    </RequireRole>
  );
}
