"use client";
import type { ReactNode } from "react";
import { RequireRole } from "@/components/require-role";
import { ConsoleHeader } from "@/components/console-header";
import { ShopOpenSwitch } from "@/components/shop/shop-open-switch";

/** The shop owner's area (a tablet at the counter): the live order board and the menu. */
export default function ShopLayout({ children }: { children: ReactNode }) {
  return (
    <RequireRole role="SHOP_OWNER">
      {(me) => (
        <div className="flex min-h-screen flex-col">
          <ConsoleHeader
            area="사장님"
            userName={me.name}
            nav={[
              { href: "/shop", label: "주문" },
              { href: "/shop/menu", label: "메뉴" },
            ]}
            right={<ShopOpenSwitch />}
          />
          {children}
        </div>
      )}
    </RequireRole>
  );
}
