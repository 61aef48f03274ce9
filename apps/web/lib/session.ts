"use client";
import { useQuery } from "@tanstack/react-query";
import { meQuery } from "./queries";

/** The signed-in user (null when signed out); `isCustomer` gates the customer's screens. */
export function useSession() {
  const q = useQuery(meQuery());
  const user = q.data ?? null;
  return { user, isLoading: q.isPending, isCustomer: user?.role === "CUSTOMER", error: q.error };
}
