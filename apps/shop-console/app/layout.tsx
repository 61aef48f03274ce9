import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

// Self-hosted Pretendard (variable weight), so Korean text looks the same on every tablet and phone.
const pretendard = localFont({
  src: "../../../node_modules/pretendard/dist/web/variable/woff2/PretendardVariable.woff2",
  display: "swap",
  weight: "45 920",
  variable: "--font-pretendard",
});

export const metadata: Metadata = {
  title: { default: "배달 파트너 콘솔", template: "%s · 배달 파트너" },
  description: "사장님, 라이더, 플랫폼 운영자를 위한 배달 콘솔",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#f97316" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ko" className={pretendard.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
