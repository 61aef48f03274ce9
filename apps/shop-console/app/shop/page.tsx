import type { Metadata } from "next";
import { OrderBoard } from "@/components/shop/order-board";

export const metadata: Metadata = { title: "주문 보드" };

export default function ShopBoardPage() {
  return <OrderBoard />;
}
