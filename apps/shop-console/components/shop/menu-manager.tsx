"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { EmptyState, LiveIndicator, Spinner, Toggle } from "@/components/ui/misc";
import { useToast } from "@/components/ui/toast";
import { formatWon } from "@/lib/format";
import { useLiveStream } from "@/lib/live-stream";
import { myShopKey } from "@/lib/shop";
import { api, koreanError, type MenuItem, type Shop } from "@/lib/trpc";
import { MenuItemForm, type ItemFields } from "./menu-item-form";
import { UtensilsIcon } from "@/components/ui/icons";

type MenuState = { shop: Shop; items: MenuItem[] };

/** What the owner needs to know about an item's review, in one badge and one line. */
function reviewOf(i: MenuItem): { badge: string; tone: "amber" | "emerald" | "rose" | "slate"; note: string | null } {
  const listed = i.listedName !== null;
  const listedAs = listed ? `고객에게는 ‘${i.listedName}’ ${formatWon(i.listedPriceKrw ?? 0)}으로 보여요` : null;
  switch (i.reviewStatus) {
    case "IN_REVIEW":
      return listed
        ? { badge: "변경 검수 중", tone: "amber", note: `검수가 끝날 때까지 ${listedAs?.replace("보여요", "판매돼요")}` }
        : { badge: "검수 중", tone: "amber", note: "검수가 끝나면 고객에게 보여요" };
    case "LISTED":
      return { badge: "판매 중", tone: "emerald", note: null };
    case "REJECTED":
      return { badge: "반려", tone: "rose", note: listedAs };
    case "WITHDRAWN":
      return { badge: "검수 철회", tone: "slate", note: listedAs ?? "고객에게 보이지 않아요" };
  }
}

/** The owner's menu, live: review decisions arrive as they are made. */
export function MenuManager() {
  const toast = useToast();
  const qc = useQueryClient();
  const [menu, setMenu] = useState<MenuState | null>(null);
  const previous = useRef<Map<string, MenuItem>>(new Map());
  const [editing, setEditing] = useState<MenuItem | "new" | null>(null);
  const [deleting, setDeleting] = useState<MenuItem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const status = useLiveStream<MenuState>(
    (lastEventId, observer) => api.catalog.myMenuLive.subscribe({ lastEventId }, observer),
    (next) => {
      // Tell the owner about decisions that just arrived (not about the first load).
      if (previous.current.size > 0) {
        for (const i of next.items) {
          const before = previous.current.get(i.id);
          if (!before || before.reviewStatus !== "IN_REVIEW" || before.revision !== i.revision) continue;
          if (i.reviewStatus === "LISTED") toast(`‘${i.name}’ 검수가 승인됐어요. 고객에게 보여요.`, "success");
          if (i.reviewStatus === "REJECTED") toast(`‘${i.name}’ 검수가 반려됐어요: ${i.rejectReason ?? ""}`, "error");
        }
      }
      previous.current = new Map(next.items.map((i) => [i.id, i]));
      qc.setQueryData(myShopKey, next.shop);
      setMenu(next);
    },
  );

  const patch = (item: MenuItem) =>
    setMenu((m) => m && { ...m, items: m.items.some((i) => i.id === item.id) ? m.items.map((i) => (i.id === item.id ? item : i)) : [...m.items, item] });

  const act = async (key: string, fn: () => Promise<unknown>, done?: string) => {
    setBusy(key);
    try {
      await fn();
      if (done) toast(done, "success");
    } catch (err) {
      toast(koreanError(err), "error");
    } finally {
      setBusy(null);
    }
  };

  const categories = useMemo(() => [...new Set(menu?.items.map((i) => i.category) ?? [])], [menu]);
  const grouped = useMemo(() => {
    const g = new Map<string, MenuItem[]>();
    for (const i of menu?.items ?? []) g.set(i.category, [...(g.get(i.category) ?? []), i]);
    return [...g.entries()];
  }, [menu]);
  const counts = useMemo(() => {
    const items = menu?.items ?? [];
    return {
      listed: items.filter((i) => i.listedName !== null).length,
      review: items.filter((i) => i.reviewStatus === "IN_REVIEW").length,
      soldOut: items.filter((i) => i.soldOut).length,
    };
  }, [menu]);

  const save = async (fields: ItemFields) => {
    if (editing === "new") {
      patch(await api.catalog.createItem.mutate(fields));
      toast(`‘${fields.name}’을 추가하고 검수를 요청했어요.`, "success");
    } else if (editing) {
      const changed = Object.fromEntries(
        Object.entries(fields).filter(([k, v]) => (editing as unknown as Record<string, unknown>)[k] !== v),
      );
      if (Object.keys(changed).length === 0) return;
      const saved = await api.catalog.updateItem.mutate({ itemId: editing.id, ...changed });
      patch(saved);
      toast(saved.reviewStatus === "IN_REVIEW" && saved.revision !== editing.revision ? "변경 내용을 검수 요청했어요." : "저장했어요.", "success");
    }
  };

  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:px-6">
      <div className="flex flex-wrap items-center gap-3">
        <div>
          <h1 className="text-2xl font-extrabold">메뉴 관리</h1>
          <p className="mt-1 text-sm text-slate-500">새 메뉴와 이름·가격 변경은 플랫폼 검수 후 고객에게 보여요. 품절은 바로 반영돼요.</p>
        </div>
        <div className="ml-auto flex items-center gap-3">
          <LiveIndicator status={status} />
          <Button onClick={() => setEditing("new")}>+ 메뉴 추가</Button>
        </div>
      </div>

      {menu && (
        <dl className="mt-5 grid grid-cols-3 gap-3">
          {[
            ["판매 중", counts.listed, "text-emerald-600"],
            ["검수 중", counts.review, "text-amber-600"],
            ["품절", counts.soldOut, "text-rose-600"],
          ].map(([label, n, color]) => (
            <div key={label as string} className="rounded-2xl bg-white px-4 py-3 ring-1 ring-slate-200">
              <dt className="text-xs font-semibold text-slate-500">{label}</dt>
              <dd className={`mt-0.5 text-2xl font-extrabold tabular ${color}`}>{n}</dd>
            </div>
          ))}
        </dl>
      )}

      {!menu ? (
        <Spinner label="메뉴를 불러오는 중" />
      ) : menu.items.length === 0 ? (
        <div className="mt-6">
          <EmptyState icon={<UtensilsIcon size={24} />} title="아직 메뉴가 없어요">
            메뉴를 추가하면 검수 후 고객에게 보여요.
          </EmptyState>
        </div>
      ) : (
        grouped.map(([category, items]) => (
          <section key={category} className="mt-8">
            <h2 className="mb-3 text-sm font-bold text-slate-500">
              {category} <span className="font-medium text-slate-400">{items.length}</span>
            </h2>
            <ul className="divide-y divide-slate-100 overflow-hidden rounded-2xl bg-white ring-1 ring-slate-200">
              {items.map((i) => {
                const review = reviewOf(i);
                return (
                  <li key={i.id} data-testid="menu-item" data-item-name={i.name} data-review={i.reviewStatus} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center">
                    <div className="flex min-w-0 flex-1 gap-4">
                      {i.imageUrl ? (
                        <img src={i.imageUrl} alt="" className="size-16 shrink-0 rounded-xl object-cover ring-1 ring-slate-200" />
                      ) : (
                        <div className="flex size-16 shrink-0 items-center justify-center rounded-xl bg-brand-50 text-brand-500/60" aria-hidden>
                          <UtensilsIcon size={24} />
                        </div>
                      )}
                      <div className="min-w-0">
                        <div className="flex flex-wrap items-center gap-1.5">
                          <p className={`font-bold ${i.soldOut ? "text-slate-400 line-through" : ""}`}>{i.name}</p>
                          <Badge tone={review.tone}>{review.badge}</Badge>
                          {i.soldOut && <Badge tone="rose">품절</Badge>}
                        </div>
                        <p className="mt-0.5 font-semibold tabular">{formatWon(i.priceKrw)}</p>
                        {i.description && <p className="mt-0.5 line-clamp-2 text-sm text-slate-500">{i.description}</p>}
                        {i.reviewStatus === "REJECTED" && i.rejectReason && (
                          <p className="mt-1 text-sm font-medium text-rose-600" data-testid="reject-reason">
                            반려 사유: {i.rejectReason}
                          </p>
                        )}
                        {review.note && <p className="mt-1 text-xs text-slate-400">{review.note}</p>}
                      </div>
                    </div>
                    <div className="flex shrink-0 items-center gap-2 sm:gap-3">
                      <label className="flex items-center gap-2 text-sm font-medium text-slate-600">
                        품절
                        <Toggle
                          label={`${i.name} 품절`}
                          tone="brand"
                          checked={i.soldOut}
                          disabled={busy === `soldout:${i.id}`}
                          onChange={(soldOut) =>
                            act(`soldout:${i.id}`, async () => patch(await api.catalog.setSoldOut.mutate({ itemId: i.id, soldOut })), soldOut ? `‘${i.name}’ 품절 처리했어요.` : `‘${i.name}’ 판매를 다시 시작했어요.`)
                          }
                        />
                      </label>
                      {i.reviewStatus === "IN_REVIEW" && (
                        <Button
                          size="sm"
                          variant="secondary"
                          busy={busy === `withdraw:${i.id}`}
                          onClick={() => act(`withdraw:${i.id}`, async () => patch(await api.catalog.withdrawReview.mutate({ itemId: i.id })), "검수 요청을 철회했어요.")}
                        >
                          검수 철회
                        </Button>
                      )}
                      <Button size="sm" variant="secondary" onClick={() => setEditing(i)}>
                        수정
                      </Button>
                      <Button size="sm" variant="danger" onClick={() => setDeleting(i)}>
                        삭제
                      </Button>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        ))
      )}

      {editing && <MenuItemForm item={editing === "new" ? null : editing} categories={categories} onClose={() => setEditing(null)} onSave={save} />}
      {deleting && (
        <Modal
          title={`‘${deleting.name}’을 삭제할까요?`}
          description="고객 메뉴에서 바로 내려가고, 진행 중인 검수도 함께 철회돼요."
          onClose={() => setDeleting(null)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setDeleting(null)}>
                취소
              </Button>
              <Button
                variant="destructive"
                busy={busy === `delete:${deleting.id}`}
                onClick={() =>
                  act(`delete:${deleting.id}`, async () => {
                    await api.catalog.deleteItem.mutate({ itemId: deleting.id });
                    setMenu((m) => m && { ...m, items: m.items.filter((x) => x.id !== deleting.id) });
                    setDeleting(null);
                  }, "메뉴를 삭제했어요.")
                }
              >
                삭제
              </Button>
            </>
          }
        >
          <p className="text-sm text-slate-600">삭제한 메뉴는 되돌릴 수 없어요.</p>
        </Modal>
      )}
    </main>
  );
}
