// The catalog in every language: the example catalog fully translated, validation that names the product, the
// field and the locale, English as the fallback, units in their plural forms, keys that do not change with
// the language, and recipients typed the way people type them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createI18n } from "../../src/bot/i18n.js";
import { normalizeRecipient } from "../../src/bot/features/checkout.js";
import { getProduct, missingTranslations, parseCatalog, readCatalogFile, syncCatalog } from "../../src/catalog/catalog.js";
import { listBrandsInCategory, listCategories } from "../../src/catalog/queries.js";
import { faceValueText, textOf } from "../../src/catalog/texts.js";
import { openDatabase } from "../../src/db/connection.js";
import type { LocalizedUnit } from "../../src/db/schema.js";
import { SHIPPED_LOCALES } from "../../src/lib/locales.js";

const product = {
  sku: "steam-20-usd",
  name: "Steam Wallet 20 USD",
  category: "Gift cards",
  kind: "code",
  face_value: { amount: 2000, currency: "USD" },
  price: { amount: 2199, currency: "USD" },
  instructions: "Redeem",
};
const topup = {
  sku: "mlbb-86",
  name: { en: "Mobile Legends 86 Diamonds", ru: "Mobile Legends: 86 алмазов" },
  category: { en: "Game top-ups", ru: "Пополнение игр" },
  kind: "topup",
  face_value: { amount: 86, unit: { en: { one: "Diamond", other: "Diamonds" }, ru: { one: "алмаз", few: "алмаза", many: "алмазов", other: "алмаза" } } },
  price: { amount: 199, currency: "USD" },
  recipient: { type: "player_id", pattern: "^[0-9]{6,12}(\\([0-9]{4,5}\\))?$", hint: { en: "Your ID and zone.", ru: "Ваш ID и зона." } },
  instructions: { en: "Arrives in minutes.", ru: "Придут за несколько минут." },
};

describe("the example catalog", () => {
  const catalog = readCatalogFile("catalog.example.json");
  it("is translated into every shipped language, every customer-facing text of every product", () => {
    expect(missingTranslations(catalog)).toEqual([]);
  });
  it("counts game currencies in units, never in made-up currency codes", () => {
    for (const item of catalog) {
      if (item.face_value.currency === undefined) expect(item.face_value.unit).toBeDefined();
    }
    expect(catalog.filter((item) => item.face_value.unit).map((item) => item.sku)).toContain("pubg-660-uc");
  });
});

describe("translations that are missing", () => {
  it("are listed by product, field and locale (plain strings are English only)", () => {
    const missing = missingTranslations(parseCatalog({ products: [product, topup] }));
    expect(missing).toContainEqual({ sku: "steam-20-usd", field: "name", locale: "ru" });
    expect(missing).toContainEqual({ sku: "mlbb-86", field: "instructions", locale: "uk" });
    expect(missing).toContainEqual({ sku: "mlbb-86", field: "recipient.hint", locale: "pt-BR" });
    expect(missing).toContainEqual({ sku: "mlbb-86", field: "face_value.unit", locale: "tr" });
    expect(missing).not.toContainEqual({ sku: "mlbb-86", field: "name", locale: "ru" });
    expect(missing.some((entry) => entry.locale === "en")).toBe(false);
  });
});

describe("validation of localized texts", () => {
  it.each([
    [{ ...product, name: { ru: "Steam 20" } }, /product "steam-20-usd", field "name": .*missing locale "en"/],
    [{ ...product, instructions: { en: "Redeem", de: "Einlösen" } }, /product "steam-20-usd", field "instructions.de": "de" is not a shipped locale/],
    [{ ...product, name: { en: "Steam", "pt-br": "Steam" } }, /field "name.pt-br": "pt-br" is not a shipped locale \(en, ru, uk, es, pt-BR, tr\)/],
    [{ ...topup, recipient: { ...topup.recipient, hint: { ru: "Ваш ID" } } }, /product "mlbb-86", field "recipient.hint": .*missing locale "en"/],
    [{ ...topup, face_value: { amount: 86, unit: { en: { one: "Diamond" } } } }, /field "face_value.unit.en": plural forms need "other"/],
    [{ ...topup, face_value: { amount: 86, unit: { en: { lots: "Diamonds", other: "Diamonds" } } } }, /field "face_value.unit.en.lots": is not a plural category/],
    [{ ...topup, face_value: { amount: 86, currency: "XDI" } }, /field "face_value.currency": must be an ISO 4217 currency; a game currency takes a "unit"/],
    [{ ...topup, face_value: { amount: 86 } }, /field "face_value": give either "currency" \(money\) or "unit"/],
    [{ ...product, name: { en: "" } }, /field "name.en"/],
  ])("names the product, the field and the locale (%#)", (bad, message) => {
    expect(() => parseCatalog({ products: [bad] })).toThrow(message);
  });

  it("refuses two translations of one category", () => {
    const other = { ...topup, sku: "mlbb-172", category: { en: "Game top-ups", ru: "Игры" } };
    expect(() => parseCatalog({ products: [topup, other] })).toThrow(/product "mlbb-172", field "category.ru": "Игры" differs from product "mlbb-86", which calls the same category "Пополнение игр"/);
  });
});

describe("texts in the customer's language", () => {
  const dir = mkdtempSync(join(tmpdir(), "catalog-i18n-"));
  const db = openDatabase(join(dir, "shop.sqlite"));
  // The category's Russian name is given by the second product only: every product of it reads the same.
  const plainCategory = { ...product, sku: "psn-25", name: "PSN 25", category: "Game top-ups", brand: "PSN" };
  syncCatalog(db, parseCatalog({ products: [plainCategory, topup, product] }), 0);
  afterAll(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses the customer's locale, then English", () => {
    const row = getProduct(db, "mlbb-86")!;
    expect(textOf(row, "name", "ru")).toBe("Mobile Legends: 86 алмазов");
    expect(textOf(row, "name", "uk")).toBe("Mobile Legends 86 Diamonds");
    expect(textOf(row, "hint", "ru")).toBe("Ваш ID и зона.");
    expect(textOf(row, "hint", "es")).toBe("Your ID and zone.");
    expect(textOf(row, "instructions", "ru")).toBe("Придут за несколько минут.");
    expect(textOf(getProduct(db, "steam-20-usd")!, "name", "ru")).toBe("Steam Wallet 20 USD");
  });

  it("keeps the English in the text columns (ops read them) and the row readable without translations", () => {
    const row = getProduct(db, "mlbb-86")!;
    expect([row.name, row.category, row.instructions, row.recipientRule?.hint]).toEqual(["Mobile Legends 86 Diamonds", "Game top-ups", "Arrives in minutes.", "Your ID and zone."]);
    expect(row.faceValueCurrency).toBe("");
    expect(textOf({ ...row, labels: null, details: null }, "name", "ru")).toBe("Mobile Legends 86 Diamonds");
  });

  it("keys categories and brands by their English name, whatever the language", () => {
    const categories = listCategories(db);
    expect(categories.map((category) => category.key)).toEqual(["game-top-ups", "gift-cards"]);
    expect(categories[0]!.texts).toEqual({ en: "Game top-ups", ru: "Пополнение игр" });
    expect(listBrandsInCategory(db, "game-top-ups").map((brand) => brand.key)).toEqual(["psn", "mobile-legends-86-diamon"]);
  });
});

describe("face values", () => {
  const i18n = createI18n(() => "en");
  const diamonds: LocalizedUnit = {
    en: { one: "Diamond", other: "Diamonds" },
    ru: { one: "алмаз", few: "алмаза", many: "алмазов", other: "алмаза" },
    uk: { one: "діамант", few: "діаманти", many: "діамантів", other: "діаманта" },
    es: { one: "diamante", other: "diamantes" },
    tr: "Elmas",
  };
  const face = (amount: number, locale: string, unit: LocalizedUnit | null = diamonds) =>
    faceValueText({ amount, currency: unit ? "" : "USD" }, unit, locale, (key, variables) => i18n.t(locale, key, variables));

  it.each([
    [1, "en", "1 Diamond"],
    [86, "en", "86 Diamonds"],
    [1, "ru", "1 алмаз"],
    [21, "ru", "21 алмаз"],
    [172, "ru", "172 алмаза"],
    [86, "ru", "86 алмазов"],
    [514, "ru", "514 алмазов"],
    [344, "uk", "344 діаманти"],
    [706, "uk", "706 діамантів"],
    [1, "es", "1 diamante"],
    [86, "es", "86 diamantes"],
    [86, "tr", "86 Elmas"],
    [86, "pt-BR", "86 Diamonds"],
  ])("%i in %s: %s", (amount, locale, text) => {
    expect(face(amount, locale)).toBe(text);
  });

  it("formats large counts in the locale's form, and money as money", () => {
    expect(face(1500, "ru").replace(/\s/g, " ")).toBe("1 500 алмазов");
    expect(face(2000, "ru", null).replace(/\s/g, " ")).toBe("20,00 $");
    expect(face(2000, "en", null)).toBe("$20.00");
  });

  it("every shipped language has the message that picks the form", () => {
    for (const locale of SHIPPED_LOCALES) expect(face(86, locale, { en: "UC" })).toBe(`86 UC`);
  });
});

describe("recipients as people type them", () => {
  it.each([
    ["player_id", "12345678 (2345)", "12345678(2345)"],
    ["player_id", " 12345678( 2345 ) ", "12345678(2345)"],
    ["player_id", "１２３４５６７８（２３４５）", "12345678(2345)"],
    ["player_id", "5123456789", "5123456789"],
    ["phone", "+52 155-1234-5678", "+5215512345678"],
    ["phone", "0052 (155) 1234 5678", "+5215512345678"],
    ["email", " Player@Example.COM ", "player@example.com"],
  ])("%s %j → %j", (type, typed, sent) => {
    expect(normalizeRecipient(type, typed)).toBe(sent);
  });
});
