/**
 * The console's tRPC client: every call goes to this origin's /trpc proxy (which carries the
 * session cookie to the process that runs the context), batched per context; live views are
 * subscriptions over SSE.
 */
import { createTRPCClient, TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { contextRoutingLink } from "@baedal/api/client";
import type { AppRouter } from "@baedal/api";

export const api = createTRPCClient<AppRouter>({ links: [contextRoutingLink({ urlFor: () => "" })] });

type Outputs = inferRouterOutputs<AppRouter>;

export type Me = Outputs["identity"]["me"];
export type Role = Me["role"];
export type Ticket = Outputs["store"]["board"][number];
export type BoardColumn = Ticket["column"];
export type Shop = Outputs["catalog"]["myShop"];
export type MenuItem = Outputs["catalog"]["myMenu"][number];
export type RiderCall = Outputs["delivery"]["openCalls"][number];
export type ReviewCase = Outputs["review"]["queue"][number];
export type HistoryEntry = Outputs["report"]["orderHistory"][number];
export type DeliveryRow = Outputs["report"]["deliveries"][number];
export type DayFigures = Outputs["report"]["daily"][number];
export type DeadLetter = Outputs["store"]["ops"]["deadLetters"][number];

/** What the API said went wrong: the tRPC code, the stable `reason` word, and field errors. */
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
      code: data.code ?? "NETWORK",
      reason: data.reason ?? null,
      message: err.message,
      fieldErrors: data.fieldErrors ?? null,
    };
  }
  return { code: "NETWORK", reason: null, message: String(err), fieldErrors: null };
}

export const isUnauthorized = (err: unknown) => problemOf(err).code === "UNAUTHORIZED";

/** Korean for the refusals a console user can meet; anything else falls back by code. */
const byReason: Record<string, string> = {
  CALL_TAKEN: "다른 라이더가 먼저 배차를 수락했어요.",
  CALL_CANCELLED: "취소된 콜이에요.",
  RIDER_OFFLINE: "운행을 시작해야 콜을 받을 수 있어요.",
  RIDER_ALREADY_CALLED: "이미 라이더를 호출했어요.",
  ILLEGAL_TRANSITION: "이미 다른 단계로 넘어간 주문이에요. 화면을 새로 확인해 주세요.",
  STALE: "방금 다른 곳에서 바뀌었어요. 다시 시도해 주세요.",
  PAYMENT_BUSY: "결제 시스템이 잠시 바빠요. 잠시 후 다시 시도해 주세요.",
  ALREADY_DECIDED: "이미 다른 운영자가 처리한 검수예요.",
  ALREADY_RESOLVED: "이미 처리된 이벤트예요.",
  REPLAY_FAILED: "재처리에 실패했어요.",
  NO_SHOP: "계정에 연결된 가게가 없어요.",
  NOT_FOUND: "찾을 수 없어요. 이미 처리되었을 수 있어요.",
  CSRF: "보안 확인에 실패했어요. 페이지를 새로고침해 주세요.",
  BAD_CREDENTIALS: "이메일 또는 비밀번호가 맞지 않아요.",
};
const byCode: Record<string, string> = {
  UNAUTHORIZED: "로그인이 필요해요.",
  FORBIDDEN: "이 작업을 할 권한이 없어요.",
  NOT_FOUND: "찾을 수 없어요.",
  CONFLICT: "이미 처리되었거나 상태가 바뀌었어요.",
  BAD_REQUEST: "입력한 내용을 확인해 주세요.",
  SERVICE_UNAVAILABLE: "서비스가 잠시 바빠요. 잠시 후 다시 시도해 주세요.",
  TOO_MANY_REQUESTS: "요청이 너무 많아요. 잠시 후 다시 시도해 주세요.",
  NETWORK: "서버에 연결할 수 없어요. 네트워크를 확인해 주세요.",
};

export function koreanError(err: unknown): string {
  const p = problemOf(err);
  if (p.reason === "REPLAY_FAILED") return `재처리에 실패했어요: ${p.message.replace(/^Replay failed: /, "")}`;
  return (p.reason && byReason[p.reason]) ?? byCode[p.code] ?? "알 수 없는 오류가 발생했어요. 잠시 후 다시 시도해 주세요.";
}
