/**
 * The browser's tRPC client: every call goes to this origin's /trpc proxy (which sends the session
 * cookie along), batched per context; subscriptions stream over SSE.
 */
import { createTRPCClient, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { contextRoutingLink } from "@baedal/api/client";
import type { AppRouter } from "@baedal/api";

export const trpc = createTRPCClient<AppRouter>({ links: [contextRoutingLink({ urlFor: () => "" })] });

type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;

export type Shop = Outputs["catalog"]["shops"][number];
export type ShopDetail = Outputs["catalog"]["shop"];
export type MenuItem = ShopDetail["items"][number];
export type OrderView = Outputs["mypage"]["order"];
export type OrderStatus = OrderView["status"];

/** What the API says went wrong: the stable `reason` word the UI translates, and the tRPC code. */
export interface ApiProblem {
  code: string;
  reason: string | null;
  message: string;
  fieldErrors: Record<string, string[] | undefined> | null;
}

export function problemOf(err: unknown): ApiProblem {
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? {}) as { code?: string; reason?: string; fieldErrors?: Record<string, string[]> };
    return {
      // A response that is not tRPC's (the proxy's 503, a dropped connection) has no code.
      code: data.code ?? "NETWORK",
      reason: data.reason ?? null,
      message: err.message,
      fieldErrors: data.fieldErrors ?? null,
    };
  }
  return { code: "NETWORK", reason: null, message: String(err), fieldErrors: null };
}

export const isUnauthorized = (err: unknown) => problemOf(err).code === "UNAUTHORIZED";
export const isNotFound = (err: unknown) => problemOf(err).code === "NOT_FOUND";
