import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { z } from "zod";
import { OrderDetail } from "@/components/orders/order-view";
import { RequireCustomer } from "@/components/require-customer";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("order"))("title") };
}

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  if (!z.string().uuid().safeParse(orderId).success) notFound();
  return (
    <RequireCustomer>
      <OrderDetail orderId={orderId} />
    </RequireCustomer>
  );
}
