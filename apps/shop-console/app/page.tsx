import Link from "next/link";
import { ScooterIcon, ShieldIcon, StoreIcon } from "@/components/ui/icons";

const areas = [
  {
    href: "/shop",
    who: "사장님",
    title: "가게 관리",
    icon: StoreIcon,
    features: ["실시간 주문 보드 · 새 주문 알림음", "접수(조리 시간) · 거절(사유) · 라이더 호출", "메뉴 관리와 검수 현황 · 품절 · 영업 on/off"],
  },
  {
    href: "/rider",
    who: "라이더",
    title: "배달하기",
    icon: ScooterIcon,
    features: ["운행 시작 / 종료", "실시간 배달 콜, 먼저 수락한 사람이 배차", "픽업 · 배달 완료, 오늘의 수익과 정산"],
  },
  {
    href: "/admin",
    who: "운영자",
    title: "플랫폼 운영",
    icon: ShieldIcon,
    features: ["메뉴 검수 (승인 / 사유와 함께 반려)", "고객센터: 주문 이력 조회와 취소", "배달 리포트 · 보류 이벤트 재처리"],
  },
];

export default function ConsoleHome() {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-4">
          <span className="flex items-center gap-2 text-lg font-extrabold tracking-tight">
            <span className="flex size-8 items-center justify-center rounded-xl bg-brand-500 text-sm text-white">배</span>
            배달 <span className="font-semibold text-slate-400">파트너 콘솔</span>
          </span>
          <Link href="/login" className="rounded-xl bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-800">
            로그인
          </Link>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-14">
        <h1 className="text-3xl font-extrabold">어떤 일을 하시나요?</h1>
        <p className="mt-3 text-slate-600">주문을 받는 사장님, 배달하는 라이더, 플랫폼을 운영하는 운영자를 위한 화면이에요.</p>
        <ul className="mt-10 grid gap-5 sm:grid-cols-3">
          {areas.map((a) => (
            <li key={a.href}>
              <Link
                href={a.href}
                className="group flex h-full flex-col rounded-3xl border border-slate-200 bg-white p-6 shadow-sm transition hover:-translate-y-0.5 hover:border-brand-500 hover:shadow-md"
              >
                <span className="flex size-12 items-center justify-center rounded-2xl bg-brand-50 text-brand-600">
                  <a.icon size={24} />
                </span>
                <p className="mt-4 text-sm font-semibold text-brand-600">{a.who}</p>
                <h2 className="mt-1 text-xl font-bold">{a.title}</h2>
                <ul className="mt-4 flex-1 space-y-1.5 text-sm text-slate-600">
                  {a.features.map((f) => (
                    <li key={f}>· {f}</li>
                  ))}
                </ul>
                <span className="mt-6 text-sm font-semibold text-slate-900 group-hover:text-brand-600">시작하기 →</span>
              </Link>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
