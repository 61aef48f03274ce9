"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isUnauthorized, type Me, type Role } from "./trpc";

export const meKey = ["identity.me"] as const;

/** The signed-in user, or null when signed out. */
export function useMe() {
  const q = useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.identity.me.query();
      } catch (err) {
        if (isUnauthorized(err)) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
  });
  return { me: q.data ?? null, loading: q.isPending, error: q.error };
}

/** Where each role works. */
export const homeOf: Record<Role, string> = {
  SHOP_OWNER: "/shop",
  RIDER: "/rider",
  ADMIN: "/admin",
  CUSTOMER: "/login?wrong=customer",
};

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.identity.signOut.mutate(),
    onSettled: () => {
      qc.clear();
      window.location.href = "/login";
    },
  });
}
