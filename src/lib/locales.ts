// The languages the shop speaks (one Fluent file each in locales/), and the nearest of them for any language tag.

/** Every shipped locale; English first: every other language falls back to it. locales/<tag>.ftl exists for each. */
export const SHIPPED_LOCALES = ["en", "ru", "uk", "es", "pt-BR", "tr"] as const;
export type Locale = (typeof SHIPPED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

const byLowerCase = new Map<string, Locale>(SHIPPED_LOCALES.map((locale) => [locale.toLowerCase(), locale]));
const byLanguage = new Map<string, Locale>(SHIPPED_LOCALES.map((locale) => [locale.split("-")[0]!.toLowerCase(), locale]));

/**
 * Languages we do not ship whose speakers nearly all read one we do (Belarusian, Kazakh, Kyrgyz and Tajik
 * speakers read Russian; Catalan, Galician and Basque speakers Spanish; Azerbaijani is close to Turkish).
 */
const NEIGHBOURS: Record<string, Locale> = { be: "ru", kk: "ru", ky: "ru", tg: "ru", ca: "es", gl: "es", eu: "es", az: "tr" };

export function isShippedLocale(tag: string): tag is Locale {
  return (SHIPPED_LOCALES as readonly string[]).includes(tag);
}

/**
 * The shipped locale for a language tag as Telegram or a browser reports it: "pt-br" and "pt" → pt-BR,
 * "es-419" → es, "ru-RU" → ru, "be" → ru; English when nothing is near.
 */
export function nearestLocale(tag: string | null | undefined): Locale {
  const normalized = (tag ?? "").trim().replace(/_/g, "-").toLowerCase();
  if (!normalized) return DEFAULT_LOCALE;
  const language = normalized.split("-")[0]!;
  return byLowerCase.get(normalized) ?? byLanguage.get(language) ?? NEIGHBOURS[language] ?? DEFAULT_LOCALE;
}

/** The two-letter ISO 639-1 code Telegram's setMyCommands takes for a locale ("pt-BR" → "pt"). */
export function telegramLanguageCode(locale: Locale): string {
  return locale.split("-")[0]!.toLowerCase();
}
