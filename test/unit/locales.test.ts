// Every shipped language says everything English says: the same keys, no variable English does not pass, and
// every message formats without an error. A key added to en.ftl alone fails here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { describe, expect, it } from "vitest";
import { LOCALES_DIR } from "../../src/bot/i18n.js";
import { nearestLocale, SHIPPED_LOCALES, telegramLanguageCode } from "../../src/lib/locales.js";

type Node = unknown;

/** The variables a message uses ($name), found by walking @fluent/bundle's parsed pattern. */
function variablesOf(node: Node, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((child) => variablesOf(child, into));
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record["type"] === "var") into.add(String(record["name"]));
    for (const value of Object.values(record)) variablesOf(value, into);
  }
  return into;
}

function messages(locale: string): Map<string, Set<string>> {
  const resource = new FluentResource(readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8"));
  return new Map(resource.body.filter((entry) => !entry.id.startsWith("-")).map((entry) => [entry.id, variablesOf([entry.value, entry.attributes])]));
}

/** Variables the code passes beyond those English uses: every CLDR plural form of a unit, for the languages that have them. */
const PASSED_TOO: Record<string, string[]> = { "face-value-units": ["zero", "one", "two", "few", "many", "other"] };

const english = messages("en");
for (const [key, extra] of Object.entries(PASSED_TOO)) extra.forEach((name) => english.get(key)?.add(name));

describe("the shipped languages", () => {
  it("are exactly the Fluent files in locales/", () => {
    const files = readdirSync(LOCALES_DIR).filter((file) => file.endsWith(".ftl")).map((file) => file.replace(/\.ftl$/, ""));
    expect(new Set(files)).toEqual(new Set(SHIPPED_LOCALES));
    expect(SHIPPED_LOCALES.length).toBeGreaterThanOrEqual(6);
  });

  it("English has the messages every screen uses", () => {
    expect(english.size).toBeGreaterThan(90);
  });

  it.each(SHIPPED_LOCALES.filter((locale) => locale !== "en"))("%s has every key English has, and no other", (locale) => {
    const translated = messages(locale);
    expect([...english.keys()].filter((key) => !translated.has(key)), `keys missing in ${locale}.ftl`).toEqual([]);
    expect([...translated.keys()].filter((key) => !english.has(key)), `keys in ${locale}.ftl that en.ftl lacks`).toEqual([]);
    for (const [key, variables] of translated) {
      const unknown = [...variables].filter((name) => !english.get(key)!.has(name));
      expect(unknown, `${locale}.ftl ${key} uses variables English does not pass`).toEqual([]);
    }
  });

  it.each(SHIPPED_LOCALES)("%s formats every message without an error", (locale) => {
    const bundle = new FluentBundle(locale, { useIsolating: false });
    bundle.addResource(new FluentResource(readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8")));
    for (const [key, variables] of english) {
      const args = Object.fromEntries([...variables].map((name) => [name, ["count", "stars", "quantity", "max"].includes(name) ? 3 : "x"]));
      const errors: Error[] = [];
      const text = bundle.formatPattern(bundle.getMessage(key)!.value!, args, errors);
      expect(errors, `${locale} ${key}`).toEqual([]);
      expect(text.trim().length, `${locale} ${key} is empty`).toBeGreaterThan(0);
    }
  });
});

describe("the nearest shipped language", () => {
  it.each([
    ["en", "en"],
    ["en-GB", "en"],
    ["ru", "ru"],
    ["ru-RU", "ru"],
    ["uk", "uk"],
    ["es", "es"],
    ["es-419", "es"],
    ["es-MX", "es"],
    ["pt-br", "pt-BR"],
    ["pt-BR", "pt-BR"],
    ["pt", "pt-BR"],
    ["pt-PT", "pt-BR"],
    ["tr", "tr"],
    ["be", "ru"],
    ["kk", "ru"],
    ["az", "tr"],
    ["de", "en"],
    ["", "en"],
    [undefined, "en"],
  ])("%s → %s", (tag, locale) => {
    expect(nearestLocale(tag)).toBe(locale);
  });

  it("gives Telegram a two-letter code for each", () => {
    expect(SHIPPED_LOCALES.map(telegramLanguageCode)).toEqual(["en", "ru", "uk", "es", "pt", "tr"]);
  });
});
