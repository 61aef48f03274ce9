"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { LiveProvider } from "@/lib/live";
import { useSession } from "@/lib/session";
import { ToastProvider } from "@/lib/toast";
import { isUnauthorized } from "@/lib/trpc";
import { NotificationToasts } from "@/components/notification-toasts";

function LiveForCustomers({ children }: { children: ReactNode }) {
  const { isCustomer } = useSession();
  return <LiveProvider enabled={isCustomer}>{children}</LiveProvider>;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            refetchOnWindowFocus: false,
            // Coming back online, the live stream resumes from its last entry (lastEventId) and
            // brings what was missed; refetching everything on top would only hide a gap in it.
            refetchOnReconnect: false,
            retry: (count, err) => !isUnauthorized(err) && count < 2,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <LiveForCustomers>
          {children}
          <NotificationToasts />
        </LiveForCustomers>
      </ToastProvider>
    </QueryClientProvider>
  );
}
