/** Korean by default; English through the switch in the header (a cookie, no locale in URLs). */
const locales = ["ko", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "ko";
export const localeCookie = "NEXT_LOCALE";
export const timeZone = "Asia/Seoul";

export const isLocale = (v: unknown): v is Locale => locales.includes(v as Locale);
