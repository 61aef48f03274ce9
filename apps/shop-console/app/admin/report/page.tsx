import type { Metadata } from "next";
import { DeliveryReport } from "@/components/admin/delivery-report";

export const metadata: Metadata = { title: "배달 리포트" };

export default function AdminReportPage() {
  return <DeliveryReport />;
}
