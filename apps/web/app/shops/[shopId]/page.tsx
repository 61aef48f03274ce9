import { notFound } from "next/navigation";
import { z } from "zod";
import { ShopView } from "@/components/shop/shop-view";

export default async function ShopPage({ params }: { params: Promise<{ shopId: string }> }) {
  const { shopId } = await params;
  if (!z.string().uuid().safeParse(shopId).success) notFound();
  return <ShopView shopId={shopId} />;
}
