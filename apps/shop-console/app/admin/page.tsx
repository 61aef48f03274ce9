import type { Metadata } from "next";
import { ReviewQueue } from "@/components/admin/review-queue";

export const metadata: Metadata = { title: "메뉴 검수" };

export default function AdminReviewPage() {
  return <ReviewQueue />;
}
