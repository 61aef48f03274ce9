"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { Toggle } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { myShopKey, useMyShop } from "@/lib/shop";
import { api, koreanError } from "@/lib/trpc";

/** Open/closed for the whole shop: a closed shop takes no orders. Closing asks first. */
export function ShopOpenSwitch() {
  const shop = useMyShop();
  const qc = useQueryClient();
  const toast = useToast();
  const [confirmClose, setConfirmClose] = useState(false);
  const set = useMutation({
    mutationFn: (isOpen: boolean) => api.catalog.setShopOpen.mutate({ isOpen }),
    onSuccess: (s) => {
      qc.setQueryData(myShopKey, s);
      setConfirmClose(false);
      toast(s.isOpen ? "영업을 시작했어요. 새 주문을 받아요." : "영업을 종료했어요. 새 주문을 받지 않아요.", "success");
    },
    onError: (err) => toast(koreanError(err), "error"),
  });
  if (!shop.data) return null;
  const open = shop.data.isOpen;
  return (
    <>
      <div className="flex items-center gap-2 rounded-xl bg-slate-50 px-2.5 py-1 ring-1 ring-slate-200">
        <span className="hidden max-w-36 truncate text-sm font-semibold text-slate-700 lg:inline">{shop.data.name}</span>
        <span className={`text-xs font-bold ${open ? "text-emerald-600" : "text-slate-400"}`}>{open ? "영업 중" : "영업 종료"}</span>
        <Toggle
          label="가게 영업"
          checked={open}
          disabled={set.isPending}
          onChange={(v) => (v ? set.mutate(true) : setConfirmClose(true))}
        />
      </div>
      {confirmClose && (
        <Modal
          title="영업을 종료할까요?"
          description="종료하면 고객이 새 주문을 할 수 없어요. 진행 중인 주문은 그대로 처리할 수 있어요."
          onClose={() => setConfirmClose(false)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setConfirmClose(false)}>
                취소
              </Button>
              <Button variant="dark" busy={set.isPending} onClick={() => set.mutate(false)}>
                영업 종료
              </Button>
            </>
          }
        >
          <p className="text-sm text-slate-600">언제든 다시 켜서 주문을 받을 수 있어요.</p>
        </Modal>
      )}
    </>
  );
}
