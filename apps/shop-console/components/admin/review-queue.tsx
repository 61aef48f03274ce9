"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { EmptyState, ErrorBox, Spinner } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { ago, formatWon } from "@/lib/format";
import { api, koreanError, type ReviewCase } from "@/lib/trpc";
import { CheckCircleIcon, ImageIcon } from "@/components/ui/icons";

const queueKey = ["review.queue"] as const;
const rejectPresets = ["메뉴 사진이 필요해요", "가격 정보가 정확하지 않아요", "판매할 수 없는 품목이에요", "설명이 메뉴와 맞지 않아요"];

/** Menu items waiting for platform review; decisions reach the owner's menu screen live. */
export function ReviewQueue() {
  const qc = useQueryClient();
  const toast = useToast();
  // New submissions arrive from shops at any time.
  const queue = useQuery({ queryKey: queueKey, queryFn: () => api.review.queue.query(), refetchInterval: 5_000 });
  const [rejecting, setRejecting] = useState<ReviewCase | null>(null);
  const [reason, setReason] = useState("");

  const decided = (c: ReviewCase) => qc.setQueryData(queueKey, (list: ReviewCase[] | undefined) => list?.filter((x) => x.id !== c.id));
  const approve = useMutation({
    mutationFn: (c: ReviewCase) => api.review.approve.mutate({ reviewCaseId: c.id }),
    onSuccess: (_, c) => {
      decided(c);
      toast(`‘${c.name}’ 승인했어요. 고객에게 곧 보여요.`, "success");
    },
    onError: (err) => toast(koreanError(err), "error"),
  });
  const reject = useMutation({
    mutationFn: (input: { c: ReviewCase; reason: string }) => api.review.reject.mutate({ reviewCaseId: input.c.id, reason: input.reason }),
    onSuccess: (_, { c }) => {
      decided(c);
      setRejecting(null);
      setReason("");
      toast(`‘${c.name}’ 반려했어요. 사장님께 사유가 전달돼요.`, "success");
    },
  });

  return (
    <>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 className="text-2xl font-extrabold">메뉴 검수</h1>
          <p className="mt-1 text-sm text-slate-500">승인하면 고객 메뉴에 바로 올라가고, 반려하면 사유가 사장님께 전달돼요.</p>
        </div>
        {queue.data && <Badge tone="orange" className="ml-auto">대기 {queue.data.length}건</Badge>}
      </div>

      {queue.isPending ? (
        <Spinner />
      ) : queue.error ? (
        <div className="mt-6">
          <ErrorBox>{koreanError(queue.error)}</ErrorBox>
        </div>
      ) : queue.data.length === 0 ? (
        <div className="mt-6">
          <EmptyState icon={<CheckCircleIcon size={24} />} title="검수할 메뉴가 없어요">
            새로 들어오는 검수 요청은 여기에 자동으로 나타나요.
          </EmptyState>
        </div>
      ) : (
        <ul className="mt-6 grid gap-4 lg:grid-cols-2">
          {queue.data.map((c) => (
            <li key={c.id} data-testid="review-case" data-item-name={c.name} className="flex flex-col rounded-2xl bg-white p-5 ring-1 ring-slate-200">
              <div className="flex gap-4">
                {c.imageUrl ? (
                  <img src={c.imageUrl} alt="" className="size-20 shrink-0 rounded-xl object-cover ring-1 ring-slate-200" />
                ) : (
                  <div className="flex size-20 shrink-0 flex-col items-center justify-center gap-1 rounded-xl bg-slate-100 text-xs text-slate-400">
                    <ImageIcon size={20} />
                    사진 없음
                  </div>
                )}
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-1.5">
                    <Badge tone={c.listed ? "indigo" : "orange"}>{c.listed ? `변경 검수 · ${c.revision}차` : "신규 메뉴"}</Badge>
                    <span className="text-xs text-slate-400">{ago(String(c.createdAt))}</span>
                  </div>
                  <p className="mt-1 text-lg font-bold">{c.name}</p>
                  <p className="text-sm text-slate-500">
                    {c.shopName ?? "가게 정보 없음"} · {c.category}
                  </p>
                </div>
                <p className="shrink-0 text-lg font-extrabold tabular">{formatWon(c.priceKrw)}</p>
              </div>
              {c.description && <p className="mt-3 text-sm text-slate-600">{c.description}</p>}
              {c.listed && (
                <div className="mt-3 rounded-xl bg-slate-50 px-3 py-2 text-sm">
                  <span className="text-slate-500">현재 판매 중: </span>
                  <span className={c.listed.name !== c.name ? "font-semibold text-slate-700 line-through decoration-rose-400" : ""}>{c.listed.name}</span>{" "}
                  <span className={`tabular ${c.listed.priceKrw !== c.priceKrw ? "font-semibold line-through decoration-rose-400" : ""}`}>{formatWon(c.listed.priceKrw)}</span>
                </div>
              )}
              <div className="mt-4 flex justify-end gap-2 pt-1">
                <Button variant="danger" onClick={() => setRejecting(c)}>
                  반려
                </Button>
                <Button variant="success" busy={approve.isPending && approve.variables?.id === c.id} onClick={() => approve.mutate(c)}>
                  승인
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {rejecting && (
        <Modal
          title={`‘${rejecting.name}’ 반려`}
          description="사장님의 메뉴 화면에 사유가 그대로 보여요."
          onClose={() => (setRejecting(null), reject.reset())}
          footer={
            <>
              <Button variant="ghost" onClick={() => setRejecting(null)}>
                취소
              </Button>
              <Button variant="destructive" disabled={!reason.trim()} busy={reject.isPending} onClick={() => reject.mutate({ c: rejecting, reason: reason.trim() })}>
                반려하기
              </Button>
            </>
          }
        >
          <div className="flex flex-wrap gap-2">
            {rejectPresets.map((r) => (
              <button
                key={r}
                type="button"
                onClick={() => setReason(r)}
                className={`rounded-full px-3 py-1.5 text-sm ring-1 ring-inset ${reason === r ? "bg-rose-50 font-semibold text-rose-700 ring-rose-300" : "text-slate-600 ring-slate-200 hover:bg-slate-50"}`}
              >
                {r}
              </button>
            ))}
          </div>
          <label className="mt-4 block">
            <span className="text-sm font-semibold text-slate-600">반려 사유 (필수)</span>
            <textarea
              className="mt-1 block min-h-20 w-full rounded-xl border border-slate-300 px-3 py-2.5 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
              maxLength={300}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="사장님이 고칠 수 있도록 구체적으로 적어 주세요"
            />
          </label>
          {reject.error && (
            <div className="mt-3">
              <ErrorBox>{koreanError(reject.error)}</ErrorBox>
            </div>
          )}
        </Modal>
      )}
    </>
  );
}
