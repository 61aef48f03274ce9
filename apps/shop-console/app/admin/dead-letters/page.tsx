import type { Metadata } from "next";
import { DeadLetters } from "@/components/admin/dead-letters";

export const metadata: Metadata = { title: "이벤트 처리" };

export default function AdminDeadLettersPage() {
  return <DeadLetters />;
}
