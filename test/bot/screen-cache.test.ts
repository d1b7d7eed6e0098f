// The cache of rendered catalog screens: one render per locale and screen, and never a stale one, however
// the products table was written (catalog file sync, supplier sync, an admin, or SQL by hand).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createI18n } from "../../src/bot/i18n.js";
import { createScreenCache } from "../../src/bot/screen-cache.js";
import { readCatalogFile, syncCatalog } from "../../src/catalog/catalog.js";
import { catalogVersion } from "../../src/catalog/version.js";
import { openDatabase, type Db } from "../../src/db/connection.js";

const i18n = createI18n(() => "en");
const tIn = (locale: string) => (key: string, variables?: Record<string, string | number>) => i18n.t(locale, key, variables);
const en = tIn("en");
const ru = tIn("ru");
const buttons = (view: { keyboard: { inline_keyboard: Array<Array<{ text: string }>> } } | undefined) => view?.keyboard.inline_keyboard.flat().map((b) => b.text) ?? [];

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "screens-"));
  db = openDatabase(join(dir, "shop.sqlite"));
  syncCatalog(db, readCatalogFile("catalog.example.json"), Date.now());
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("rendered catalog screens", () => {
  it("renders a screen once per locale, and keeps each locale's own text", () => {
    const screens = createScreenCache(db);
    const first = screens.brand(en, "en", "gift-cards", "steam-wallet", 0);
    expect(screens.brand(en, "en", "gift-cards", "steam-wallet", 0)).toBe(first);
    const russian = screens.brand(ru, "ru", "gift-cards", "steam-wallet", 0);
    expect(russian).not.toBe(first);
    expect(russian!.text).not.toBe(first!.text);
    expect(screens.brand(ru, "ru", "gift-cards", "steam-wallet", 0)).toBe(russian);
  });

  it("shows a new price on every screen after any write to products, even by hand", () => {
    const screens = createScreenCache(db);
    expect(buttons(screens.brand(en, "en", "gift-cards", "steam-wallet", 0)).join(" ")).toContain("$21.99");
    expect(screens.product(en, "en", "steam-20-usd")!.text).toContain("$21.99");
    const before = catalogVersion(db);
    db.$client.prepare("UPDATE products SET price_amount = 2249 WHERE sku = 'steam-20-usd'").run();
    expect(catalogVersion(db)).toBeGreaterThan(before);
    expect(buttons(screens.brand(en, "en", "gift-cards", "steam-wallet", 0)).join(" ")).toContain("$22.49");
    expect(screens.product(en, "en", "steam-20-usd")!.text).toContain("$22.49");
  });

  it("hides a product taken off sale, and a category left empty, and brings them back", () => {
    const screens = createScreenCache(db);
    expect(screens.product(en, "en", "psn-25-usd")).toBeDefined();
    db.$client.prepare("UPDATE products SET enabled = 0 WHERE sku = 'psn-25-usd'").run();
    expect(screens.product(en, "en", "psn-25-usd")).toBeUndefined();
    db.$client.prepare("UPDATE products SET in_stock = 0 WHERE category = 'Mobile airtime'").run();
    expect(screens.category(en, "en", "mobile-airtime", 0)).toBeUndefined();
    expect(buttons(screens.categories(en, "en")).join(" ")).not.toContain("Mobile airtime");
    db.$client.prepare("UPDATE products SET in_stock = 1, enabled = 1").run();
    expect(screens.product(en, "en", "psn-25-usd")).toBeDefined();
    expect(buttons(screens.categories(en, "en")).join(" ")).toContain("Mobile airtime");
  });

  it("sees products added and removed", () => {
    const screens = createScreenCache(db);
    const count = () => buttons(screens.brand(en, "en", "gift-cards", "steam-wallet", 0)).filter((b) => b.startsWith("Steam Wallet")).length;
    const shown = count();
    db.$client.prepare("DELETE FROM products WHERE sku = 'steam-20-usd'").run();
    expect(count()).toBe(shown - 1);
    syncCatalog(db, readCatalogFile("catalog.example.json"), Date.now());
    expect(count()).toBe(shown);
  });

  it("sees a write by another process (an operator's sqlite3 session) within recheckMs", () => {
    let clock = 0;
    const screens = createScreenCache(db, { now: () => clock, recheckMs: 1_000 });
    expect(screens.product(en, "en", "steam-20-usd")!.text).toContain("$21.99");
    const operator = new Database(join(dir, "shop.sqlite"));
    operator.prepare("UPDATE products SET price_amount = 2349 WHERE sku = 'steam-20-usd'").run();
    operator.close();
    clock = 999;
    expect(screens.product(en, "en", "steam-20-usd")!.text).toContain("$21.99");
    clock = 1_000;
    expect(screens.product(en, "en", "steam-20-usd")!.text).toContain("$23.49");
  });

  it("keeps at most maxEntries screens, so made-up page numbers cannot grow it", () => {
    const screens = createScreenCache(db, { maxEntries: 10 });
    const pages = Array.from({ length: 50 }, (_, page) => screens.category(en, "en", "game-top-ups", page));
    // Every page past the last shows the last page; the oldest entries were dropped, not kept.
    expect(buttons(pages[49])).toEqual(buttons(pages[0]));
    expect(screens.category(en, "en", "game-top-ups", 49)).toBe(pages[49]);
    expect(screens.category(en, "en", "game-top-ups", 0)).not.toBe(pages[0]);
  });
});
