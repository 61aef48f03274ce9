import type { Metadata } from "next";
import { MenuManager } from "@/components/shop/menu-manager";

export const metadata: Metadata = { title: "메뉴 관리" };

export default function ShopMenuPage() {
  return <MenuManager />;
}
