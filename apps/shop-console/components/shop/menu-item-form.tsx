"use client";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { ErrorBox } from "@/components/ui/misc";
import { koreanError, problemOf, type MenuItem } from "@/lib/trpc";

export interface ItemFields {
  name: string;
  description: string;
  priceKrw: number;
  category: string;
  imageUrl: string | null;
}

const inputClass =
  "mt-1 block w-full rounded-xl border border-slate-300 bg-white px-3 py-2.5 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-rose-400";

/** Create or edit a menu item. Name and price changes go to platform review; the rest apply at once. */
export function MenuItemForm({
  item,
  categories,
  onClose,
  onSave,
}: {
  item: MenuItem | null;
  categories: string[];
  onClose: () => void;
  onSave: (fields: ItemFields) => Promise<void>;
}) {
  const [name, setName] = useState(item?.name ?? "");
  const [description, setDescription] = useState(item?.description ?? "");
  const [price, setPrice] = useState(item ? String(item.priceKrw) : "");
  const [category, setCategory] = useState(item?.category ?? categories[0] ?? "");
  const [imageUrl, setImageUrl] = useState(item?.imageUrl ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldErrors = error ? (problemOf(error).fieldErrors ?? {}) : {};

  const priceKrw = Number(price);
  const local: Record<string, string | null> = {
    name: name.trim() ? null : "메뉴 이름을 입력해 주세요.",
    priceKrw: Number.isInteger(priceKrw) && priceKrw >= 100 && priceKrw <= 1_000_000 ? null : "가격은 100원에서 1,000,000원 사이로 입력해 주세요.",
    category: category.trim() ? null : "분류를 입력해 주세요.",
    imageUrl: !imageUrl.trim() || /^https?:\/\/\S+$/.test(imageUrl.trim()) ? null : "http(s)로 시작하는 이미지 주소를 입력해 주세요.",
  };
  const [touched, setTouched] = useState(false);
  const errorOf = (f: string) => (touched ? local[f] : null) ?? (fieldErrors[f]?.length ? "입력한 내용을 확인해 주세요." : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean)) return;
    setBusy(true);
    setError(null);
    try {
      await onSave({
        name: name.trim(),
        description: description.trim(),
        priceKrw,
        category: category.trim(),
        imageUrl: imageUrl.trim() || null,
      });
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const reviewNote = item
    ? "이름이나 가격을 바꾸면 플랫폼 검수를 다시 받아요. 검수 중에도 기존 메뉴는 계속 판매돼요. 설명·분류·사진은 바로 반영돼요."
    : "새 메뉴는 플랫폼 검수가 끝나면 고객에게 보여요.";

  return (
    <Modal title={item ? "메뉴 수정" : "메뉴 추가"} description={reviewNote} onClose={onClose} wide>
      <form id="menu-item-form" onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
        <label className="sm:col-span-2">
          <span className="text-sm font-semibold text-slate-700">메뉴 이름</span>
          <input className={inputClass} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} aria-invalid={!!errorOf("name")} placeholder="예: 광어회 (중)" />
          {errorOf("name") && <p className="mt-1 text-xs text-rose-600">{errorOf("name")}</p>}
        </label>
        <label className="sm:col-span-2">
          <span className="text-sm font-semibold text-slate-700">설명</span>
          <textarea className={`${inputClass} min-h-20`} value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} placeholder="고객에게 보여질 메뉴 설명" />
        </label>
        <label>
          <span className="text-sm font-semibold text-slate-700">가격 (원)</span>
          <input
            className={`${inputClass} tabular`}
            inputMode="numeric"
            value={price}
            onChange={(e) => setPrice(e.target.value.replace(/\D/g, ""))}
            aria-invalid={!!errorOf("priceKrw")}
            placeholder="32000"
          />
          {errorOf("priceKrw") && <p className="mt-1 text-xs text-rose-600">{errorOf("priceKrw")}</p>}
        </label>
        <label>
          <span className="text-sm font-semibold text-slate-700">분류</span>
          <input className={inputClass} list="menu-categories" value={category} maxLength={40} onChange={(e) => setCategory(e.target.value)} aria-invalid={!!errorOf("category")} placeholder="예: 단품회" />
          <datalist id="menu-categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          {errorOf("category") && <p className="mt-1 text-xs text-rose-600">{errorOf("category")}</p>}
        </label>
        <label className="sm:col-span-2">
          <span className="text-sm font-semibold text-slate-700">사진 주소 (선택)</span>
          <input className={inputClass} value={imageUrl} maxLength={500} onChange={(e) => setImageUrl(e.target.value)} aria-invalid={!!errorOf("imageUrl")} placeholder="https://…" />
          {errorOf("imageUrl") && <p className="mt-1 text-xs text-rose-600">{errorOf("imageUrl")}</p>}
        </label>
        {error !== null && (
          <div className="sm:col-span-2">
            <ErrorBox>{koreanError(error)}</ErrorBox>
          </div>
        )}
        <div className="flex justify-end gap-2 sm:col-span-2">
          <Button variant="ghost" onClick={onClose}>
            취소
          </Button>
          <Button type="submit" busy={busy}>
            {item ? "저장" : "검수 요청하고 추가"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
