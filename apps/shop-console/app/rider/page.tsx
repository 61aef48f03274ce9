import type { Metadata } from "next";
import { RiderHome } from "@/components/rider/rider-home";

export const metadata: Metadata = { title: "라이더" };

export default function RiderPage() {
  return <RiderHome />;
}
