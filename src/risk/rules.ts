// The fraud rules, as pure functions of what the shop knows about a payment: Radar's risk level, the customer's
// age and spending, how many accounts used the card, bans. Each rule has its setting (config.ts) and explains
// itself in one sentence for the admin; none of it is ever shown to the customer.
import type { RiskAssessment } from "../db/schema.js";
import { formatMoney } from "../lib/money.js";

/** A money limit: one amount for every currency, and/or one per currency (minor units). */
export interface AmountLimit {
  any?: number | undefined;
  byCurrency: Record<string, number>;
}

export function limitFor(limit: AmountLimit | null, currency: string): number | undefined {
  if (!limit) return undefined;
  return limit.byCurrency[currency.toUpperCase()] ?? limit.any;
}

export const RISK_LEVELS = ["normal", "elevated", "highest"] as const;

export interface RiskSettings {
  /** Radar's level at or above which a payment is held; "off" turns the rule off. */
  holdLevel: (typeof RISK_LEVELS)[number] | "off";
  /** A new customer's paid value over this within their first `newCustomerDays` is held (null: off). */
  newCustomerMax: AmountLimit | null;
  newCustomerDays: number;
  /** More paid orders than this per customer in 24 hours is held (null: off). */
  maxOrdersPerDay: number | null;
  /** More paid value than this per customer in 24 hours is held (null: off). */
  maxValuePerDay: AmountLimit | null;
  /** A card used by more Telegram accounts than this is held (null: off). */
  maxAccountsPerCard: number | null;
  /** Held orders older than this are refunded automatically (null: never). */
  holdAutoRefundHours: number | null;
  /** A dispute bans its customer and card. */
  banOnDispute: boolean;
}

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  holdLevel: "elevated",
  newCustomerMax: { any: 15_000, byCurrency: {} },
  newCustomerDays: 7,
  maxOrdersPerDay: 10,
  maxValuePerDay: { any: 50_000, byCurrency: {} },
  maxAccountsPerCard: 2,
  holdAutoRefundHours: 24,
  banOnDispute: true,
};

/** What Stripe tells about a card payment (payment_intent.latest_charge); Stars payments have none. */
export interface CardSignals {
  riskLevel: string | null;
  riskScore: number | null;
  outcomeType: string | null;
  fingerprint: string | null;
  country: string | null;
  funding: string | null;
  cvcCheck: string | null;
  addressCheck: string | null;
}

export interface RiskFacts {
  amount: number;
  currency: string;
  card: CardSignals | null;
  /** How long the shop has known the customer. */
  customerAgeMs: number;
  /** The customer's Telegram language ("pt-br", "ru"…), for the country signal. */
  customerLanguage: string | null;
  /** Paid orders of the customer in the last 24 hours, this one included, and their value in this currency. */
  paidLastDay: { count: number; value: number };
  /** Paid value of the customer in this currency since they were first seen, this order included. */
  paidSinceFirstSeen: number;
  /** Distinct Telegram accounts that paid with this card, this customer included (0 without a card). */
  accountsOnCard: number;
  cardBanned: boolean;
  /** The customer was banned (/ban, a dispute) after the order was opened: a payment that arrives anyway is held. */
  customerBanned: boolean;
}

/** Countries where a language is the usual one: a card from elsewhere is worth a look, not a hold. */
const LANGUAGE_COUNTRIES: Record<string, readonly string[]> = {
  ru: ["RU", "BY", "KZ", "KG", "AM", "UZ", "AZ", "MD", "TJ", "GE", "UA", "LV", "EE", "LT"],
  uk: ["UA"],
  tr: ["TR", "CY", "DE", "AZ"],
  "pt-br": ["BR"],
  pt: ["PT", "BR", "AO", "MZ"],
  es: ["ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN", "PY", "SV", "NI", "CR", "PA", "UY", "PR", "US"],
};

function languageCountries(language: string | null): readonly string[] | undefined {
  if (!language) return undefined;
  const lower = language.toLowerCase();
  return LANGUAGE_COUNTRIES[lower] ?? LANGUAGE_COUNTRIES[lower.split("-")[0]!];
}

export function assessRisk(settings: RiskSettings, facts: RiskFacts): RiskAssessment {
  const holds: string[] = [];
  const signals: string[] = [];
  const money = (amount: number) => formatMoney({ amount, currency: facts.currency });
  const card = facts.card;

  if (facts.customerBanned) holds.push("the customer is banned");
  if (facts.cardBanned) holds.push("the card is banned");
  if (card && settings.holdLevel !== "off" && card.riskLevel) {
    const at = RISK_LEVELS.indexOf(card.riskLevel as (typeof RISK_LEVELS)[number]);
    if (at >= 0 && at >= RISK_LEVELS.indexOf(settings.holdLevel)) {
      holds.push(`Radar risk ${card.riskLevel}${card.riskScore !== null ? ` (score ${card.riskScore})` : ""}, at or above ${settings.holdLevel}`);
    }
  }
  const newMax = limitFor(settings.newCustomerMax, facts.currency);
  if (newMax !== undefined && facts.customerAgeMs < settings.newCustomerDays * 86_400_000 && facts.paidSinceFirstSeen > newMax) {
    holds.push(`a new customer (first seen ${Math.floor(facts.customerAgeMs / 86_400_000)} day(s) ago) paid ${money(facts.paidSinceFirstSeen)}, over ${money(newMax)} in their first ${settings.newCustomerDays} days`);
  }
  if (settings.maxOrdersPerDay !== null && facts.paidLastDay.count > settings.maxOrdersPerDay) {
    holds.push(`${facts.paidLastDay.count} paid orders in 24 hours, over ${settings.maxOrdersPerDay}`);
  }
  const dayMax = limitFor(settings.maxValuePerDay, facts.currency);
  if (dayMax !== undefined && facts.paidLastDay.value > dayMax) {
    holds.push(`${money(facts.paidLastDay.value)} paid in 24 hours, over ${money(dayMax)}`);
  }
  if (card?.fingerprint && settings.maxAccountsPerCard !== null && facts.accountsOnCard > settings.maxAccountsPerCard) {
    holds.push(`the card was used by ${facts.accountsOnCard} Telegram accounts, over ${settings.maxAccountsPerCard}`);
  }

  if (card?.country) {
    const usual = languageCountries(facts.customerLanguage);
    if (usual && !usual.includes(card.country.toUpperCase())) {
      signals.push(`card from ${card.country.toUpperCase()}, customer's Telegram language ${facts.customerLanguage}`);
    }
  }
  if (card?.cvcCheck === "fail") signals.push("CVC check failed");
  if (card?.addressCheck === "fail") signals.push("address check failed");
  if (card?.funding === "prepaid") signals.push("prepaid card");

  return {
    level: card?.riskLevel ?? null,
    score: card?.riskScore ?? null,
    outcome: card?.outcomeType ?? null,
    cardCountry: card?.country ?? null,
    cardFunding: card?.funding ?? null,
    cvcCheck: card?.cvcCheck ?? null,
    addressCheck: card?.addressCheck ?? null,
    holds,
    signals,
  };
}
