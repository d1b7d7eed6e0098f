// A product's texts in the customer's language: a product row or an order's snapshot, the customer's locale
// first, then English. Rows and snapshots from before the catalog spoke other languages have English only.
import type { LocalizedText, LocalizedUnit, ProductDetails, ProductLabels, ProductTexts, RecipientRule } from "../db/schema.js";
import { DEFAULT_LOCALE } from "../lib/locales.js";
import { formatCount, formatMoney, type Money } from "../lib/money.js";

/** The customer's locale, then English; undefined when there is no text at all. */
export function localize(text: LocalizedText | null | undefined, locale: string): string | undefined {
  return text ? (text[locale] ?? text[DEFAULT_LOCALE]) : undefined;
}

/** What a product row (its labels and details) and an order's snapshot (its texts) have in common. */
export interface Localizable {
  name: string;
  category: string;
  brand?: string;
  instructions: string;
  recipientRule: RecipientRule | null;
  labels?: ProductLabels | null | undefined;
  details?: ProductDetails | null | undefined;
  texts?: ProductTexts | null | undefined;
}

export type TextField = "name" | "category" | "brand" | "instructions" | "hint";

function translations(product: Localizable, field: TextField): LocalizedText | undefined {
  if (product.texts) return product.texts[field];
  return field === "instructions" || field === "hint" ? product.details?.[field] : product.labels?.[field];
}

/** The unit of a product row's or a snapshot's face value, when it counts something that is not money. */
export function unitOf(product: Pick<Localizable, "labels" | "texts">): LocalizedUnit | undefined {
  return product.texts?.unit ?? product.labels?.unit;
}

/** One customer-facing text of a product in the customer's language (the English columns when untranslated). */
export function textOf(product: Localizable, field: TextField, locale: string): string {
  const translated = localize(translations(product, field), locale);
  if (translated !== undefined) return translated;
  if (field === "hint") return product.recipientRule?.hint ?? "";
  if (field === "brand") return product.brand ?? product.name;
  return product[field];
}

type Translate = (key: string, variables?: Record<string, string | number>) => string;

/**
 * A face value for people: money in the locale's form ("$20.00", "20,00 $"), or a count with its unit in the
 * right plural form ("86 Diamonds", "86 алмазов", "172 алмаза"). Fluent picks the form (face-value-units).
 */
export function faceValueText(face: Money, unit: LocalizedUnit | null | undefined, locale: string, t: Translate): string {
  if (!unit) return formatMoney(face, locale);
  const word = unit[locale] ?? unit.en;
  const forms = typeof word === "string" ? { other: word } : word;
  return t("face-value-units", {
    amount: formatCount(face.amount, locale),
    count: face.amount,
    zero: forms.zero ?? forms.other,
    one: forms.one ?? forms.other,
    two: forms.two ?? forms.other,
    few: forms.few ?? forms.other,
    many: forms.many ?? forms.other,
    other: forms.other,
  });
}
