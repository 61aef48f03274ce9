"use client";
/**
 * The one way a console screen follows a live stream (the shop board, the rider feed, the menu):
 * one SSE subscription per tab, every message `tracked` with its position. tRPC's SSE link
 * resumes from the last position after a dropped connection; when the browser goes offline we
 * close the stream ourselves and reopen it from that same position once it is back, and a stream
 * that ends with an error is reopened after a pause. The server sends a snapshot first whenever
 * it cannot resume, so the screen never needs to guess.
 */
import { useEffect, useRef, useState } from "react";
import { isUnauthorized } from "./trpc";

export type LiveStatus = "connecting" | "live" | "offline";

interface LiveObserver<T> {
  onData: (message: { id: string; data: T }) => void;
  onError: (err: unknown) => void;
  onConnectionStateChange: (state: { state: "idle" | "connecting" | "pending" }) => void;
}

export type Subscribe<T> = (lastEventId: string | null, observer: LiveObserver<T>) => { unsubscribe(): void };

export function useLiveStream<T>(subscribe: Subscribe<T>, onMessage: (data: T) => void, enabled = true): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  // The latest callbacks, without reopening the stream when a render makes new ones.
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const subscribeRef = useRef(subscribe);
  subscribeRef.current = subscribe;

  useEffect(() => {
    if (!enabled) return;
    let lastEventId: string | null = null;
    let sub: { unsubscribe(): void } | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const open = () => {
      sub?.unsubscribe();
      setStatus("connecting");
      sub = subscribeRef.current(lastEventId, {
        onConnectionStateChange: (s) => {
          if (s.state === "pending") setStatus("live");
          else if (s.state === "connecting") setStatus(navigator.onLine ? "connecting" : "offline");
        },
        onData: ({ id, data }) => {
          lastEventId = id;
          handler.current(data);
        },
        onError: (err) => {
          if (isUnauthorized(err)) {
            window.location.href = `/login?next=${encodeURIComponent(window.location.pathname)}`;
            return;
          }
          setStatus("connecting");
          retry = setTimeout(open, 4_000);
        },
      });
    };
    const goOffline = () => {
      sub?.unsubscribe();
      sub = null;
      setStatus("offline");
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", open);
    if (navigator.onLine) open();
    else setStatus("offline");
    return () => {
      clearTimeout(retry);
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", open);
      sub?.unsubscribe();
    };
  }, [enabled]);

  return status;
}
