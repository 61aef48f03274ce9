"use client";
/**
 * The shop's live board: store.live's snapshot, then each ticket's new state as it changes, kept
 * in one map. Mutation results go into the same map at once (the stream confirms them a moment
 * later); the newer `updatedAt` wins, so a late message never undoes a fresher one.
 */
import { useCallback, useMemo, useReducer, useRef } from "react";
import type { Tone } from "@/components/ui/badge";
import { useLiveStream } from "./live-stream";
import { api, type BoardColumn, type Ticket } from "./trpc";

type BoardMessage = { kind: "snapshot"; snapshot: Ticket[] } | { kind: "change"; feed: string; change: Ticket };

export const columns: { key: BoardColumn | "CLOSED"; label: string; hint: string; tone: Tone }[] = [
  { key: "NEW", label: "신규", hint: "접수를 기다려요", tone: "orange" },
  { key: "ACCEPTED", label: "접수", hint: "조리를 시작하세요", tone: "amber" },
  { key: "COOKING", label: "조리 중", hint: "다 되면 조리 완료", tone: "sky" },
  { key: "READY", label: "조리 완료", hint: "라이더를 호출하세요", tone: "violet" },
  { key: "WITH_RIDER", label: "배달 중", hint: "라이더가 맡았어요", tone: "indigo" },
  { key: "CLOSED", label: "완료 · 취소", hint: "오늘 끝난 주문", tone: "slate" },
];

/** DONE and CANCELLED share the last column. */
const columnOf = (t: Ticket): (typeof columns)[number]["key"] =>
  t.column === "DONE" || t.column === "CANCELLED" ? "CLOSED" : t.column;

/** How many finished tickets the last column keeps showing. */
const CLOSED_SHOWN = 30;

export function useLiveBoard(onNewTicket: (t: Ticket) => void, onCancelled: (t: Ticket) => void) {
  // The board lives in a ref (read by the stream's handler without stale closures); a counter re-renders.
  const board = useRef<Map<string, Ticket> | null>(null);
  const [version, rerender] = useReducer((n: number) => n + 1, 0);

  const upsert = useCallback((t: Ticket) => {
    const old = board.current?.get(t.id);
    if (old && old.updatedAt > t.updatedAt) return;
    board.current = new Map(board.current ?? []).set(t.id, t);
    rerender();
  }, []);

  const status = useLiveStream<BoardMessage>(
    (lastEventId, observer) => api.store.live.subscribe({ lastEventId }, observer),
    (m) => {
      if (m.kind === "snapshot") {
        board.current = new Map(m.snapshot.map((t) => [t.id, t]));
        rerender();
        return;
      }
      const t = m.change;
      const old = board.current?.get(t.id);
      if (!old && t.status === "NEW") onNewTicket(t);
      if (old && old.column !== "CANCELLED" && t.status === "CANCELLED") onCancelled(t);
      upsert(t);
    },
  );

  const byColumn = useMemo(() => {
    const groups = new Map<string, Ticket[]>(columns.map((c) => [c.key, []]));
    for (const t of board.current?.values() ?? []) groups.get(columnOf(t))!.push(t);
    for (const [key, list] of groups) {
      // Oldest first where the kitchen works through a queue; the newest first for finished ones.
      list.sort((a, b) => (key === "CLOSED" ? b.updatedAt.localeCompare(a.updatedAt) : a.createdAt.localeCompare(b.createdAt)));
      if (key === "CLOSED") groups.set(key, list.slice(0, CLOSED_SHOWN));
    }
    return groups;
    // `version` stands for the ref's content.
  }, [version]);

  return { loaded: board.current !== null, byColumn, upsert, status };
}
