"use client";
import type { ReactNode } from "react";
import { ConsoleHeader } from "@/components/console-header";
import { RequireRole } from "@/components/require-role";

/** The rider's area (a phone on the handlebar). */
export default function RiderLayout({ children }: { children: ReactNode }) {
  return (
    <RequireRole role="RIDER">
      {(me) => (
        <div className="flex min-h-screen flex-col bg-slate-100">
          <ConsoleHeader area="라이더" userName={me.name} />
          {children}
        </div>
      )}
    </RequireRole>
  );
}
