/** Formatting for Korean screens: won, times in Seoul, short relative times. */
const won = new Intl.NumberFormat("ko-KR");
export const formatWon = (krw: number) => `${won.format(krw)}원`;

const time = new Intl.DateTimeFormat("ko-KR", { timeZone: "Asia/Seoul", hour: "2-digit", minute: "2-digit", hour12: false });
export const formatTime = (iso: string) => time.format(new Date(iso));

const clock = new Intl.DateTimeFormat("ko-KR", { timeZone: "Asia/Seoul", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
/** With seconds: events of one order often happen within the same minute. */
export const formatClock = (iso: string) => clock.format(new Date(iso));

const dateTime = new Intl.DateTimeFormat("ko-KR", {
  timeZone: "Asia/Seoul",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));

/** "방금", "3분 전", "1시간 12분 전". */
export function ago(iso: string, now = Date.now()): string {
  const min = Math.floor((now - new Date(iso).getTime()) / 60_000);
  if (min < 1) return "방금";
  if (min < 60) return `${min}분 전`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h}시간 ${min % 60}분 전` : `${h}시간 전`;
}

/** A short order number customers and shops can say out loud (last 4 of the id, upper case). */
export const shortId = (id: string) => id.replace(/-/g, "").slice(-4).toUpperCase();

/** "2026-11-21" → "11/21". */
export const shortDay = (day: string) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`;
