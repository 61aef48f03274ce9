import type { Metadata } from "next";
import { CustomerService } from "@/components/admin/customer-service";

export const metadata: Metadata = { title: "고객센터" };

export default function AdminOrdersPage() {
  return <CustomerService />;
}
