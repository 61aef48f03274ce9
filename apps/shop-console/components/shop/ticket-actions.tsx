"use client";
/** The owner's dialogs for one ticket: accept with a prep time, reject with a reason, call a rider. */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { ErrorBox } from "@/components/ui/misc";
import { formatWon, shortId } from "@/lib/format";
import { koreanError, type Ticket } from "@/lib/trpc";

const inputClass =
  "block w-full rounded-xl border border-slate-300 bg-white px-3 py-2.5 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100";

export function AcceptDialog({
  ticket,
  onClose,
  onAccept,
}: {
  ticket: Ticket;
  onClose: () => void;
  onAccept: (prepMinutes: number) => Promise<void>;
}) {
  const [custom, setCustom] = useState("");
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const accept = async (minutes: number) => {
    setBusy(minutes);
    setError(null);
    try {
      await onAccept(minutes);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const customMinutes = Number(custom);
  const customValid = Number.isInteger(customMinutes) && customMinutes >= 1 && customMinutes <= 180;
  return (
    <Modal title={`주문 #${shortId(ticket.orderId)} 접수`} description="조리 예상 시간을 고르면 바로 접수돼요. 고객에게 도착 예정 시간이 안내돼요." onClose={onClose}>
      <div className="grid grid-cols-3 gap-3">
        {[10, 20, 30].map((m) => (
          <Button key={m} size="lg" variant="secondary" className="h-16 text-lg" busy={busy === m} disabled={busy !== null} onClick={() => accept(m)}>
            {m}분
          </Button>
        ))}
      </div>
      <form
        className="mt-4 flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (customValid) void accept(customMinutes);
        }}
      >
        <label className="flex-1">
          <span className="text-sm font-semibold text-slate-600">직접 입력 (분)</span>
          <input
            inputMode="numeric"
            className={`mt-1 ${inputClass}`}
            value={custom}
            onChange={(e) => setCustom(e.target.value.replace(/\D/g, ""))}
            placeholder="예: 45"
            aria-label="조리 시간 직접 입력"
          />
        </label>
        <Button type="submit" size="lg" disabled={!customValid || busy !== null} busy={busy === customMinutes && customValid}>
          접수
        </Button>
      </form>
      {custom && !customValid && <p className="mt-2 text-xs text-rose-600">1분에서 180분 사이로 입력해 주세요.</p>}
      {error !== null && (
        <div className="mt-4">
          <ErrorBox>{koreanError(error)}</ErrorBox>
        </div>
      )}
    </Modal>
  );
}

const rejectReasons = ["재료가 모두 소진됐어요", "주문이 밀려 조리가 어려워요", "곧 영업을 종료해요", "배달이 어려운 지역이에요"];

export function RejectDialog({
  ticket,
  onClose,
  onReject,
}: {
  ticket: Ticket;
  onClose: () => void;
  onReject: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onReject(reason.trim());
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`주문 #${shortId(ticket.orderId)} 거절`}
      description={`고객에게 사유가 안내되고 결제한 ${formatWon(ticket.totalKrw)}이 환불돼요.`}
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            돌아가기
          </Button>
          <Button variant="destructive" disabled={!reason.trim()} busy={busy} onClick={submit}>
            거절하기
          </Button>
        </>
      }
    >
      <div className="flex flex-wrap gap-2">
        {rejectReasons.map((r) => (
          <button
            key={r}
            type="button"
            onClick={() => setReason(r)}
            className={`rounded-full px-3 py-1.5 text-sm ring-1 ring-inset transition ${
              reason === r ? "bg-rose-50 font-semibold text-rose-700 ring-rose-300" : "text-slate-600 ring-slate-200 hover:bg-slate-50"
            }`}
          >
            {r}
          </button>
        ))}
      </div>
      <label className="mt-4 block">
        <span className="text-sm font-semibold text-slate-600">거절 사유</span>
        <textarea
          className={`mt-1 min-h-20 ${inputClass}`}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="고객에게 보여질 사유를 적어 주세요"
        />
      </label>
      {error !== null && (
        <div className="mt-3">
          <ErrorBox>{koreanError(error)}</ErrorBox>
        </div>
      )}
    </Modal>
  );
}

export function CallRiderDialog({
  ticket,
  defaultFeeKrw,
  onClose,
  onCall,
}: {
  ticket: Ticket;
  defaultFeeKrw: number;
  onClose: () => void;
  onCall: (input: { destination: string; feeKrw: number }) => Promise<void>;
}) {
  const [destination, setDestination] = useState(ticket.deliveryAddress);
  const [fee, setFee] = useState(String(defaultFeeKrw));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const feeKrw = Number(fee);
  const feeValid = Number.isInteger(feeKrw) && feeKrw >= 1_000 && feeKrw <= 50_000;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onCall({ destination: destination.trim(), feeKrw });
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="라이더 호출"
      description={`주문 #${shortId(ticket.orderId)} · 근처 라이더에게 배달 콜이 바로 보내져요.`}
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            취소
          </Button>
          <Button disabled={!feeValid || !destination.trim()} busy={busy} onClick={submit}>
            {feeValid ? `${formatWon(feeKrw)}으로 호출` : "호출하기"}
          </Button>
        </>
      }
    >
      <label className="block">
        <span className="text-sm font-semibold text-slate-600">배달지</span>
        <input className={`mt-1 ${inputClass}`} value={destination} onChange={(e) => setDestination(e.target.value)} maxLength={300} />
      </label>
      <label className="mt-4 block">
        <span className="text-sm font-semibold text-slate-600">배달비 (원)</span>
        <input
          inputMode="numeric"
          className={`mt-1 ${inputClass} tabular`}
          value={fee}
          onChange={(e) => setFee(e.target.value.replace(/\D/g, ""))}
          aria-label="배달비"
        />
      </label>
      <div className="mt-2 flex flex-wrap gap-2">
        {[3_000, 3_500, 4_000, 5_000].map((f) => (
          <button
            key={f}
            type="button"
            onClick={() => setFee(String(f))}
            className={`rounded-full px-3 py-1 text-sm ring-1 ring-inset ${feeKrw === f ? "bg-brand-50 font-semibold text-brand-700 ring-brand-500" : "text-slate-600 ring-slate-200 hover:bg-slate-50"}`}
          >
            {formatWon(f)}
          </button>
        ))}
      </div>
      {!feeValid && <p className="mt-2 text-xs text-rose-600">배달비는 1,000원에서 50,000원 사이여야 해요.</p>}
      {error !== null && (
        <div className="mt-3">
          <ErrorBox>{koreanError(error)}</ErrorBox>
        </div>
      )}
    </Modal>
  );
}
