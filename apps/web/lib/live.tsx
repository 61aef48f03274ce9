"use client";
/**
 * The tab's one live stream (mypage.live over SSE), opened once at the layout level and fanned
 * out here:
 *   ORDER / DELIVERY     → (an order event or a rider call event changed the order's view) the
 *   entries                order's cached view and the orders list update in place, and the
 *                          order's cancel rules (order.get) are fetched again;
 *   NOTIFICATION entries → a toast, and the bell's list and unread count are fetched again.
 * Every entry is `tracked` with its feed position. tRPC's SSE link resumes from the last one after
 * a dropped connection; when the browser goes offline we close the stream ourselves and reopen it
 * from that same position once it is back online, so nothing in between is missed.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { keys } from "./queries";
import { trpc, type OrderView } from "./trpc";

export type LiveStatus = "off" | "connecting" | "live" | "offline";

interface LiveNotification {
  notificationId: string;
  orderId: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
}

type Listener = (n: LiveNotification) => void;

interface LiveApi {
  status: LiveStatus;
  onNotification: (l: Listener) => () => void;
}

const LiveContext = createContext<LiveApi>({ status: "off", onNotification: () => () => undefined });

function applyOrderView(qc: QueryClient, view: OrderView) {
  qc.setQueryData(keys.myOrder(view.orderId), (old: OrderView | undefined) =>
    old && old.seq > view.seq ? old : view,
  );
  qc.setQueryData(keys.myOrders, (list: OrderView[] | undefined) => {
    if (!list) return list;
    const i = list.findIndex((o) => o.orderId === view.orderId);
    if (i === -1) return [view, ...list];
    if (list[i]!.seq > view.seq) return list;
    return list.map((o, j) => (j === i ? view : o));
  });
  void qc.invalidateQueries({ queryKey: keys.order(view.orderId) });
}

export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("off");
  const listeners = useRef(new Set<Listener>());
  const api = useRef<LiveApi["onNotification"]>((l) => {
    listeners.current.add(l);
    return () => listeners.current.delete(l);
  });

  useEffect(() => {
    if (!enabled) {
      setStatus("off");
      return;
    }
    let lastEventId: string | null = null;
    let connectedOnce = false;
    let sub: { unsubscribe: () => void } | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const open = () => {
      sub?.unsubscribe();
      setStatus("connecting");
      sub = trpc.mypage.live.subscribe(
        { lastEventId },
        {
          onConnectionStateChange: (s) => {
            if (s.state === "pending") {
              setStatus("live");
              // The screens loaded before the stream opened: catch up once on what changed between.
              if (!connectedOnce) {
                connectedOnce = true;
                void qc.invalidateQueries({ queryKey: keys.myOrders });
                void qc.invalidateQueries({ queryKey: ["mypage.order"] });
                void qc.invalidateQueries({ queryKey: keys.unreadCount });
              }
            } else if (s.state === "connecting") {
              setStatus(navigator.onLine ? "connecting" : "offline");
            }
          },
          onData: ({ id, data }) => {
            lastEventId = id;
            if (data.kind === "ORDER" || data.kind === "DELIVERY") {
              applyOrderView(qc, data.payload as OrderView);
            } else if (data.kind === "NOTIFICATION") {
              void qc.invalidateQueries({ queryKey: keys.notifications });
              void qc.invalidateQueries({ queryKey: keys.unreadCount });
              const n = data.payload as LiveNotification;
              listeners.current.forEach((l) => l(n));
            }
          },
          // The stream ended with an error the link does not retry (e.g. the session expired):
          // try again in a while rather than going quiet for good.
          onError: () => {
            setStatus("connecting");
            retryTimer = setTimeout(open, 5_000);
          },
        },
      );
    };

    const goOffline = () => {
      sub?.unsubscribe();
      sub = null;
      setStatus("offline");
    };
    const goOnline = () => open();
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    if (navigator.onLine) open();
    else setStatus("offline");
    return () => {
      clearTimeout(retryTimer);
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      sub?.unsubscribe();
    };
  }, [enabled, qc]);

  return <LiveContext.Provider value={{ status, onNotification: api.current }}>{children}</LiveContext.Provider>;
}

export const useLive = () => useContext(LiveContext);
