// Dates and times for people, in their locale's form. The customer's time zone is unknown (Telegram does not
// say), so times are in UTC and say so.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withDate}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, {
      ...(withDate ? { year: "numeric", month: "short", day: "numeric" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "UTC",
      timeZoneName: "short",
    });
    formatters.set(key, cached);
  }
  return cached;
}

/** "Nov 27, 2026, 12:34 PM UTC", "27 нояб. 2026 г., 12:34 UTC". */
export function formatDateTime(ms: number, locale: string): string {
  return formatter(locale, true).format(ms);
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** A day without a time, "Jan 31, 2027", "31 янв. 2027 г.": in UTC, the day the supplier's date names. */
export function formatDate(ms: number, locale: string): string {
  let cached = dateFormatters.get(locale);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
    dateFormatters.set(locale, cached);
  }
  return cached.format(ms);
}

/** "12:34 PM UTC", "12:34 UTC". */
export function formatTime(ms: number, locale: string): string {
  return formatter(locale, false).format(ms);
}
