import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { OrdersList } from "@/components/orders/orders-list";
import { RequireCustomer } from "@/components/require-customer";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("orders"))("title") };
}

export default function OrdersPage() {
  return (
    <RequireCustomer>
      <OrdersList />
    </RequireCustomer>
  );
}
