"use client";
/**
 * A value kept in localStorage that components subscribe to (useSyncExternalStore): it survives a
 * reload and stays in step across tabs. Each value is validated with zod when read, so a stale or
 * hand-edited entry falls back to the default instead of breaking the page.
 */
import { useSyncExternalStore } from "react";
import type { z } from "zod";

export interface LocalStore<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  use(): T;
}

export function localStore<T>(key: string, schema: z.ZodType<T>, fallback: T): LocalStore<T> {
  const listeners = new Set<() => void>();
  let cachedRaw: string | null | undefined;
  let cached: T = fallback;

  const get = (): T => {
    if (typeof window === "undefined") return fallback;
    const raw = window.localStorage.getItem(key);
    if (raw === cachedRaw) return cached;
    cachedRaw = raw;
    try {
      const parsed = raw === null ? null : schema.safeParse(JSON.parse(raw));
      cached = parsed?.success ? parsed.data : fallback;
    } catch {
      cached = fallback;
    }
    return cached;
  };

  const set = (next: T | ((prev: T) => T)) => {
    const value = typeof next === "function" ? (next as (prev: T) => T)(get()) : next;
    window.localStorage.setItem(key, JSON.stringify(value));
    listeners.forEach((l) => l());
  };

  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    const onStorage = (e: StorageEvent) => e.key === key && listener();
    window.addEventListener("storage", onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener("storage", onStorage);
    };
  };

  return { get, set, use: () => useSyncExternalStore(subscribe, get, () => fallback) };
}
