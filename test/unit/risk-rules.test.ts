// The fraud rules (risk/rules.ts), each just under and just over its threshold, as RISK_* configures them.
import { describe, expect, it } from "vitest";
import { loadConfig, riskSettingsOf } from "../../src/config.js";
import { assessRisk, DEFAULT_RISK_SETTINGS, limitFor, type CardSignals, type RiskFacts, type RiskSettings } from "../../src/risk/rules.js";

const DAY = 86_400_000;

const ENV = {
  BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ",
  OPS_CHAT_ID: "-1001234567890",
  STRIPE_SECRET_KEY: "sk_test_123",
  STRIPE_WEBHOOK_SECRET: "whsec_abc",
  SUPPORT_CONTACT: "@support",
  CODE_ENCRYPTION_KEY: "00".repeat(32),
};

/** Settings as the shop reads them from the environment (defaults for what is not given). */
function settings(env: Record<string, string> = {}): RiskSettings {
  return riskSettingsOf(loadConfig({ ...ENV, ...env }));
}

function card(overrides: Partial<CardSignals> = {}): CardSignals {
  return { riskLevel: "normal", riskScore: 12, outcomeType: "authorized", fingerprint: "fp_1", country: "US", funding: "credit", cvcCheck: "pass", addressCheck: null, ...overrides };
}

/** A quiet payment: an old customer, one order today, one account on the card. */
function facts(overrides: Partial<RiskFacts> = {}): RiskFacts {
  return {
    amount: 2_199,
    currency: "USD",
    card: card(),
    customerAgeMs: 400 * DAY,
    customerLanguage: "en",
    paidLastDay: { count: 1, value: 2_199 },
    paidSinceFirstSeen: 2_199,
    accountsOnCard: 1,
    cardBanned: false,
    customerBanned: false,
    ...overrides,
  };
}

const holdsOf = (s: RiskSettings, f: RiskFacts) => assessRisk(s, f).holds;

describe("the defaults", () => {
  it("are the issue's: elevated, 15000 over 7 days, 10 orders and 50000 a day, 2 accounts a card, 24 h, ban on dispute", () => {
    expect(settings()).toEqual(DEFAULT_RISK_SETTINGS);
    expect(DEFAULT_RISK_SETTINGS).toMatchObject({ holdLevel: "elevated", newCustomerDays: 7, maxOrdersPerDay: 10, maxAccountsPerCard: 2, holdAutoRefundHours: 24, banOnDispute: true });
    expect(limitFor(DEFAULT_RISK_SETTINGS.newCustomerMax, "USD")).toBe(15_000);
    expect(limitFor(DEFAULT_RISK_SETTINGS.maxValuePerDay, "EUR")).toBe(50_000);
  });

  it("hold nothing for a quiet payment", () => {
    expect(assessRisk(settings(), facts())).toMatchObject({ holds: [], signals: [], level: "normal", score: 12, cardCountry: "US" });
  });
});

describe("RISK_HOLD_LEVEL: Radar's risk level", () => {
  it("holds at elevated and above by default, not at normal", () => {
    expect(holdsOf(settings(), facts({ card: card({ riskLevel: "normal" }) }))).toEqual([]);
    expect(holdsOf(settings(), facts({ card: card({ riskLevel: "elevated", riskScore: 72 }) }))).toEqual(["Radar risk elevated (score 72), at or above elevated"]);
    expect(holdsOf(settings(), facts({ card: card({ riskLevel: "highest", riskScore: 91 }) }))).toHaveLength(1);
  });

  it("at highest, elevated passes and highest is held", () => {
    const s = settings({ RISK_HOLD_LEVEL: "highest" });
    expect(holdsOf(s, facts({ card: card({ riskLevel: "elevated" }) }))).toEqual([]);
    expect(holdsOf(s, facts({ card: card({ riskLevel: "highest" }) }))).toHaveLength(1);
  });

  it("at normal, every scored payment is held; off holds none; an unknown or missing level holds none", () => {
    expect(holdsOf(settings({ RISK_HOLD_LEVEL: "normal" }), facts())).toHaveLength(1);
    expect(holdsOf(settings({ RISK_HOLD_LEVEL: "off" }), facts({ card: card({ riskLevel: "highest" }) }))).toEqual([]);
    expect(holdsOf(settings(), facts({ card: card({ riskLevel: "not_assessed" }) }))).toEqual([]);
    expect(holdsOf(settings(), facts({ card: card({ riskLevel: null }) }))).toEqual([]);
  });
});

describe("RISK_NEW_CUSTOMER_MAX within RISK_NEW_CUSTOMER_DAYS", () => {
  const s = settings({ RISK_NEW_CUSTOMER_MAX: "15000", RISK_NEW_CUSTOMER_DAYS: "7" });
  const young = 3 * DAY;

  it("holds a new customer's spending just over the limit, not at it", () => {
    expect(holdsOf(s, facts({ customerAgeMs: young, paidSinceFirstSeen: 15_000 }))).toEqual([]);
    const [hold] = holdsOf(s, facts({ customerAgeMs: young, paidSinceFirstSeen: 15_001 }));
    expect(hold).toBe("a new customer (first seen 3 day(s) ago) paid $150.01, over $150.00 in their first 7 days");
  });

  it("counts the customer as new until the last millisecond of the days, not after", () => {
    expect(holdsOf(s, facts({ customerAgeMs: 7 * DAY - 1, paidSinceFirstSeen: 20_000 }))).toHaveLength(1);
    expect(holdsOf(s, facts({ customerAgeMs: 7 * DAY, paidSinceFirstSeen: 20_000 }))).toEqual([]);
  });

  it("takes a limit per currency (CUR:N), the plain amount for the others, and off", () => {
    const perCurrency = settings({ RISK_NEW_CUSTOMER_MAX: "10000,EUR:5000,XTR:800" });
    expect(holdsOf(perCurrency, facts({ currency: "EUR", customerAgeMs: young, paidSinceFirstSeen: 5_000 }))).toEqual([]);
    expect(holdsOf(perCurrency, facts({ currency: "EUR", customerAgeMs: young, paidSinceFirstSeen: 5_001 }))).toHaveLength(1);
    expect(holdsOf(perCurrency, facts({ currency: "USD", customerAgeMs: young, paidSinceFirstSeen: 10_000 }))).toEqual([]);
    expect(holdsOf(perCurrency, facts({ currency: "USD", customerAgeMs: young, paidSinceFirstSeen: 10_001 }))).toHaveLength(1);
    // Only some currencies limited: the others are not.
    const onlyEur = settings({ RISK_NEW_CUSTOMER_MAX: "EUR:5000" });
    expect(holdsOf(onlyEur, facts({ currency: "USD", customerAgeMs: young, paidSinceFirstSeen: 1_000_000 }))).toEqual([]);
    expect(holdsOf(settings({ RISK_NEW_CUSTOMER_MAX: "off" }), facts({ customerAgeMs: young, paidSinceFirstSeen: 1_000_000 }))).toEqual([]);
  });
});

describe("RISK_MAX_ORDERS_PER_DAY and RISK_MAX_VALUE_PER_DAY: velocity per customer", () => {
  it("holds the order that makes more than the number of paid orders in 24 hours, not the one that reaches it", () => {
    const s = settings({ RISK_MAX_ORDERS_PER_DAY: "10" });
    expect(holdsOf(s, facts({ paidLastDay: { count: 10, value: 2_199 } }))).toEqual([]);
    expect(holdsOf(s, facts({ paidLastDay: { count: 11, value: 2_199 } }))).toEqual(["11 paid orders in 24 hours, over 10"]);
    expect(holdsOf(settings({ RISK_MAX_ORDERS_PER_DAY: "off" }), facts({ paidLastDay: { count: 500, value: 2_199 } }))).toEqual([]);
  });

  it("holds a day's value just over the limit, not at it, per currency", () => {
    const s = settings({ RISK_MAX_VALUE_PER_DAY: "50000,XTR:3000" });
    expect(holdsOf(s, facts({ paidLastDay: { count: 2, value: 50_000 } }))).toEqual([]);
    expect(holdsOf(s, facts({ paidLastDay: { count: 2, value: 50_001 } }))).toEqual(["$500.01 paid in 24 hours, over $500.00"]);
    expect(holdsOf(s, facts({ currency: "XTR", card: null, paidLastDay: { count: 2, value: 3_000 } }))).toEqual([]);
    expect(holdsOf(s, facts({ currency: "XTR", card: null, paidLastDay: { count: 2, value: 3_001 } }))).toHaveLength(1);
    expect(holdsOf(settings({ RISK_MAX_VALUE_PER_DAY: "0" }), facts({ paidLastDay: { count: 2, value: 10_000_000 } }))).toEqual([]);
  });
});

describe("RISK_MAX_ACCOUNTS_PER_CARD: one card, many Telegram accounts", () => {
  it("holds the account that makes one more than the limit, not the one that reaches it", () => {
    const s = settings({ RISK_MAX_ACCOUNTS_PER_CARD: "2" });
    expect(holdsOf(s, facts({ accountsOnCard: 2 }))).toEqual([]);
    expect(holdsOf(s, facts({ accountsOnCard: 3 }))).toEqual(["the card was used by 3 Telegram accounts, over 2"]);
    expect(holdsOf(settings({ RISK_MAX_ACCOUNTS_PER_CARD: "off" }), facts({ accountsOnCard: 30 }))).toEqual([]);
  });

  it("needs a fingerprint: a card Stripe gives none for is not counted", () => {
    expect(holdsOf(settings(), facts({ card: card({ fingerprint: null }), accountsOnCard: 9 }))).toEqual([]);
  });
});

describe("bans", () => {
  it("hold a payment with a banned card, and one from a banned customer", () => {
    expect(holdsOf(settings(), facts({ cardBanned: true }))).toEqual(["the card is banned"]);
    expect(holdsOf(settings(), facts({ customerBanned: true }))).toEqual(["the customer is banned"]);
    expect(holdsOf(settings(), facts({ customerBanned: true, card: null, currency: "XTR" }))).toEqual(["the customer is banned"]);
  });
});

describe("the card-country signal: shown to the admin, never a hold", () => {
  it("flags a card from outside the countries of the customer's language", () => {
    const assessed = assessRisk(settings(), facts({ customerLanguage: "ru", card: card({ country: "US" }) }));
    expect(assessed.holds).toEqual([]);
    expect(assessed.signals).toEqual(["card from US, customer's Telegram language ru"]);
  });

  it("says nothing when the card's country is one of the language's, or the language says nothing of a country", () => {
    expect(assessRisk(settings(), facts({ customerLanguage: "ru", card: card({ country: "KZ" }) })).signals).toEqual([]);
    expect(assessRisk(settings(), facts({ customerLanguage: "pt-br", card: card({ country: "BR" }) })).signals).toEqual([]);
    expect(assessRisk(settings(), facts({ customerLanguage: "pt-br", card: card({ country: "PT" }) })).signals).toHaveLength(1);
    expect(assessRisk(settings(), facts({ customerLanguage: "en", card: card({ country: "NG" }) })).signals).toEqual([]);
    expect(assessRisk(settings(), facts({ customerLanguage: null, card: card({ country: "NG" }) })).signals).toEqual([]);
  });

  it("adds failed checks and a prepaid card as signals, not holds", () => {
    const assessed = assessRisk(settings(), facts({ card: card({ cvcCheck: "fail", addressCheck: "fail", funding: "prepaid" }) }));
    expect(assessed.holds).toEqual([]);
    expect(assessed.signals).toEqual(["CVC check failed", "address check failed", "prepaid card"]);
  });
});

describe("Telegram Stars: no card data", () => {
  const stars = (overrides: Partial<RiskFacts>) => facts({ currency: "XTR", amount: 500, card: null, accountsOnCard: 0, ...overrides });

  it("is still subject to the velocity rules", () => {
    const s = settings({ RISK_MAX_ORDERS_PER_DAY: "3", RISK_MAX_VALUE_PER_DAY: "XTR:2000" });
    expect(holdsOf(s, stars({ paidLastDay: { count: 3, value: 1_500 } }))).toEqual([]);
    expect(holdsOf(s, stars({ paidLastDay: { count: 4, value: 1_500 } }))).toEqual(["4 paid orders in 24 hours, over 3"]);
    expect(holdsOf(s, stars({ paidLastDay: { count: 2, value: 2_001 } }))).toEqual(["⭐ 2,001 paid in 24 hours, over ⭐ 2,000"]);
  });

  it("is still subject to the new-customer rule", () => {
    const s = settings({ RISK_NEW_CUSTOMER_MAX: "XTR:1000" });
    expect(holdsOf(s, stars({ customerAgeMs: DAY, paidSinceFirstSeen: 1_000 }))).toEqual([]);
    expect(holdsOf(s, stars({ customerAgeMs: DAY, paidSinceFirstSeen: 1_001 }))).toHaveLength(1);
  });

  it("is never held by the card rules, and shows no card signal", () => {
    const assessed = assessRisk(settings({ RISK_HOLD_LEVEL: "normal", RISK_MAX_ACCOUNTS_PER_CARD: "1" }), stars({ customerLanguage: "ru" }));
    expect(assessed).toMatchObject({ holds: [], signals: [], level: null, cardCountry: null });
  });
});

describe("several rules at once", () => {
  it("lists every rule that holds, and the signals beside them", () => {
    const assessed = assessRisk(
      settings({ RISK_MAX_ORDERS_PER_DAY: "1" }),
      facts({ card: card({ riskLevel: "elevated", riskScore: 70, country: "US" }), customerLanguage: "uk", accountsOnCard: 3, paidLastDay: { count: 2, value: 4_398 } }),
    );
    expect(assessed.holds).toEqual(["Radar risk elevated (score 70), at or above elevated", "2 paid orders in 24 hours, over 1", "the card was used by 3 Telegram accounts, over 2"]);
    expect(assessed.signals).toEqual(["card from US, customer's Telegram language uk"]);
  });
});
