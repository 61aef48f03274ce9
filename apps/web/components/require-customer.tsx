"use client";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useSession } from "@/lib/session";
import { Alert, Loading, Skeleton } from "./ui";

/** Customer-only screens: signed-out visitors go to sign-in (and come back), other roles are told why. */
export function RequireCustomer({ children }: { children: ReactNode }) {
  const t = useTranslations("auth");
  const { user, isLoading, isCustomer } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (!isLoading && !user) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [isLoading, user, router, pathname]);

  if (isLoading || !user)
    return (
      <Loading>
        <div className="mx-auto max-w-3xl space-y-4 px-4 py-8 sm:px-6">
          <Skeleton className="h-8 w-40" />
          <Skeleton className="h-32" />
          <Skeleton className="h-32" />
        </div>
      </Loading>
    );
  if (!isCustomer)
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        <Alert tone="warning">{t("notCustomer")}</Alert>
      </div>
    );
  return <>{children}</>;
}
