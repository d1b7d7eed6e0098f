// Money as integer minor units plus an ISO 4217 currency; formatting for people, never arithmetic on floats.

export interface Money {
  amount: number;
  currency: string;
}

/** Digits after the decimal point, from the runtime's ISO 4217 data (JPY 0, USD 2, KWD 3). */
export function minorDigits(currency: string): number {
  // Not an ISO currency (game diamonds "XDI", UC "XUC"): whole units. Intl would guess 2 for any 3 letters.
  if (!isIsoCurrency(currency)) return 0;
  return formatter("en", currency.toUpperCase()).resolvedOptions().maximumFractionDigits ?? 2;
}

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export function isIsoCurrency(currency: string): boolean {
  return ISO_CURRENCIES.has(currency.toUpperCase());
}

/** Multiplies a unit price by a whole quantity, refusing anything that is not a safe integer. */
export function multiply(unit: Money, quantity: number): Money {
  if (!Number.isSafeInteger(unit.amount) || !Number.isSafeInteger(quantity) || quantity < 1) {
    throw new RangeError("money amounts and quantities must be whole numbers");
  }
  const amount = unit.amount * quantity;
  if (!Number.isSafeInteger(amount)) throw new RangeError("amount too large");
  return { amount, currency: unit.currency };
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency.toUpperCase() === b.currency.toUpperCase();
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Intl.NumberFormat is costly to build and cheap to reuse: one per locale and currency. */
function formatter(locale: string, currency: string | undefined): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ""}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = currency ? new Intl.NumberFormat(locale, { style: "currency", currency }) : new Intl.NumberFormat(locale);
    formatters.set(key, cached);
  }
  return cached;
}

/** A whole count in the locale's form ("1,500", "1 500"). */
export function formatCount(count: number, locale = "en"): string {
  return formatter(locale, undefined).format(count);
}

/** "$20.00", "20,00 €", "1 500 ₽", "⭐ 1,695": the locale decides the shape, the currency its digits. */
export function formatMoney(money: Money, locale = "en"): string {
  const digits = minorDigits(money.currency);
  // Exact decimal string from integers, so no float rounding can touch the displayed value.
  const negative = money.amount < 0;
  const abs = Math.abs(money.amount).toString().padStart(digits + 1, "0");
  const decimal = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  const value = `${negative ? "-" : ""}${decimal}`;
  if (!isIsoCurrency(money.currency)) {
    const number = formatter(locale, undefined).format(value as unknown as number);
    // Telegram Stars (XTR) are shown as Telegram shows them; other units (game diamonds) by their code.
    return money.currency === "XTR" ? `⭐ ${number}` : `${number} ${money.currency}`;
  }
  return formatter(locale, money.currency).format(
    value as unknown as number, // Intl accepts decimal strings exactly (ES2023 "Intl.NumberFormat v3")
  );
}

/** The amount as a plain decimal string in the currency's digits ("53.99", "1500"): exact, for files (CSV) and forms. */
export function toDecimal(money: Money): string {
  const digits = minorDigits(money.currency);
  const negative = money.amount < 0;
  const abs = Math.abs(money.amount).toString().padStart(digits + 1, "0");
  return `${negative ? "-" : ""}${digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`}`;
}

/**
 * "12.5" or "12,50" in a currency → minor units (1250 for USD), exactly, from the digits typed; undefined when it is
 * not a positive amount with at most the currency's digits.
 */
export function parseDecimal(text: string, currency: string): number | undefined {
  const match = /^(\d{1,12})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return undefined;
  const amount = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(amount) && amount > 0 ? amount : undefined;
}
