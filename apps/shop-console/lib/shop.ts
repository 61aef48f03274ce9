"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "./trpc";

export const myShopKey = ["catalog.myShop"] as const;

/** The owner's shop (name, open/closed, delivery fee); the menu's live stream keeps it fresh. */
export const useMyShop = () => useQuery({ queryKey: myShopKey, queryFn: () => api.catalog.myShop.query() });
