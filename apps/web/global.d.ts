import type messages from "./messages/ko.json";
import type { Locale } from "./i18n/locales";

// Type-checked message keys: a key missing from ko.json is a compile error.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof messages;
  }
}
