// The console's pieces that need no bot: every admin command has its /help line; alerts carry their buttons; the
// CSV export's quoting and ranges; promo codes' parsing and arithmetic (integers only); decimal amounts typed by an
// admin; the /products page buttons within Telegram's 64 bytes.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { PAGE_DATA, productsPageData } from "../../src/bot/features/console/products.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_HELP_COMMANDS } from "../../src/bot/admin-help.js";
import { readCatalogFile, syncCatalog } from "../../src/catalog/catalog.js";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { parseDecimal, toDecimal } from "../../src/lib/money.js";
import { createLogger } from "../../src/logger.js";
import { createAlerter, type AlertButton } from "../../src/ops/alerts.js";
import { defuse, EXPORT_COLUMNS, exportOrdersCsv, parseExportRange } from "../../src/orders/export.js";
import { createOrder } from "../../src/orders/state-machine.js";
import { checkPromo, addPromo, discounted, discountedStars, endOfDay, parsePromoSpec } from "../../src/promo/codes.js";
import { snapshotOf } from "../../src/payments/checkout.js";
import { getProduct } from "../../src/catalog/catalog.js";
import { upsertCustomer } from "../../src/customers/repository.js";

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "console-"));
  db = openDatabase(join(dir, "c.sqlite"));
  syncCatalog(db, readCatalogFile("catalog.example.json"), Date.now());
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/help", () => {
  it("has a line for every command an admin feature registers, and none that is not registered", () => {
    const files = ["src/bot/features/admin.ts", "src/bot/features/admin-fraud.ts", ...readdirSync("src/bot/features/console").map((f) => `src/bot/features/console/${f}`)];
    const registered = new Set(files.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/admin\.command\("(\w+)"/g)].map((m) => m[1]!)));
    expect(registered.size).toBeGreaterThan(20);
    expect(new Set(ADMIN_HELP_COMMANDS)).toEqual(registered);
  });
});

describe("alert buttons", () => {
  it("the failure-rate alert offers Pause sales; the review and balance alerts Retry all; others none", async () => {
    const sent: Array<{ text: string; buttons: readonly AlertButton[] | undefined }> = [];
    const alerter = createAlerter({ db, chatId: -1, logger: createLogger("silent"), gatherMs: 0, minGapMs: 0, cooldownMs: 0, send: async (_chat, text, buttons) => void sent.push({ text, buttons }) });
    alerter.start();
    alerter.raise({ kind: "failure_rate", text: "3 of 10 failed" });
    alerter.raise({ kind: "needs_review", orderId: "ORD-AAAAAAAA", text: "ORD-AAAAAAAA: retries exhausted" });
    alerter.raise({ kind: "balance_recovered", text: "generic: balance back" });
    alerter.raise({ kind: "refunded", orderId: "ORD-BBBBBBBB", text: "refunded" });
    await alerter.flush();
    alerter.stop();
    const byTitle = (title: string) => sent.find((m) => m.text.includes(title))!.buttons;
    expect(byTitle("failure rate")).toEqual([{ text: "⏸ Pause sales", data: "ops:pause" }]);
    expect(byTitle("Orders need review")).toEqual([{ text: "🔁 Retry all", data: "ops:retry_all" }]);
    expect(byTitle("topped up")).toEqual([{ text: "🔁 Retry all", data: "ops:retry_all" }]);
    expect(byTitle("Orders refunded")).toBeUndefined();
  });
});

describe("the CSV export", () => {
  it("prefixes a cell a spreadsheet would run as a formula", () => {
    expect(["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "safe", "ORD-1"].map(defuse)).toEqual(["'=SUM(A1)", "'+1", "'-2", "'@cmd", "'\tx", "safe", "ORD-1"]);
  });

  it("reads days as UTC, both included, and refuses what is not a date", () => {
    const now = Date.parse("2026-03-10T12:00:00Z");
    expect(parseExportRange("2026-03-01 2026-03-02", now)).toEqual({ ok: true, range: { from: Date.parse("2026-03-01T00:00:00Z"), to: Date.parse("2026-03-03T00:00:00Z") } });
    expect(parseExportRange("", now)).toEqual({ ok: true, range: { from: 0, to: now + 1 } });
    expect(parseExportRange("2026-02-30", now).ok).toBe(false);
    expect(parseExportRange("2026-03-02 2026-03-01", now).ok).toBe(false);
  });

  it("writes 1,200 orders in batches, each once, oldest first, amounts as decimals, a hostile product name defused", async () => {
    const product = getProduct(db, "steam-20-usd")!;
    upsertCustomer(db, { id: 1, chatId: 1 }, 0);
    const deps = { db, now: () => 0, logger: createLogger("silent") };
    for (let i = 0; i < 1_200; i++) {
      const at = Date.parse("2026-01-01T00:00:00Z") + Math.floor(i / 3) * 1000;
      createOrder({ ...deps, now: () => at }, { id: `ORD-${String(i).padStart(8, "0")}`, customerId: 1, chatId: 1, sku: product.sku, product: { ...snapshotOf(product), name: i === 7 ? '=HYPERLINK("http://x")' : product.name }, quantity: 1, recipient: null, amount: 2199, currency: "USD", expiresAt: at }, "test");
    }
    const chunks: Buffer[] = [];
    for await (const chunk of exportOrdersCsv(db, { from: 0, to: Date.parse("2027-01-01T00:00:00Z") })) chunks.push(Buffer.from(chunk));
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const rows = parse(Buffer.concat(chunks).toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(1_200);
    expect(new Set(rows.map((r) => r["order_id"])).size).toBe(1_200);
    expect(rows[0]).toMatchObject({ order_id: "ORD-00000000", amount: "21.99", currency: "USD", created_at: "2026-01-01T00:00:00.000Z" });
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(rows[7]!["product"]).toBe(`'=HYPERLINK("http://x")`);
  });
});

describe("promo codes", () => {
  it("parses a percent, an amount with or without a currency, uses, a day and a scope, in any order", () => {
    expect(parsePromoSpec(db, "spring 10% 100 2026-12-31 steam-20-usd")).toEqual({
      ok: true,
      spec: { code: "SPRING", percentOff: 10, amountOff: null, currency: null, maxUses: 100, expiresAt: Date.parse("2027-01-01T00:00:00Z") - 1, scope: "steam-20-usd" },
    });
    expect(parsePromoSpec(db, "FIVE 5.00 USD Gift cards")).toMatchObject({ ok: true, spec: { amountOff: 500, currency: "USD", scope: "gift-cards" } });
    expect(parsePromoSpec(db, "FIVE 5USD")).toMatchObject({ ok: true, spec: { amountOff: 500, currency: "USD" } });
    // The example catalog sells in USD and EUR: an amount needs its currency.
    expect(parsePromoSpec(db, "FIVE 5")).toMatchObject({ ok: false, message: expect.stringContaining("give the amount's currency") });
    expect(parsePromoSpec(db, "X 10%").ok).toBe(false);
    expect(parsePromoSpec(db, "OK 100%").ok).toBe(false);
    expect(parsePromoSpec(db, "OK 5.001 USD").ok).toBe(false);
  });

  it("takes a percent off in whole minor units (never more than it says), an amount only in its currency, Stars the same share", () => {
    expect(discounted({ percentOff: 10, amountOff: null, currency: null }, { amount: 2199, currency: "USD" })).toBe(1980);
    expect(discounted({ percentOff: 33, amountOff: null, currency: null }, { amount: 1, currency: "USD" })).toBe(1);
    expect(discounted({ percentOff: null, amountOff: 500, currency: "USD" }, { amount: 2749, currency: "USD" })).toBe(2249);
    expect(discounted({ percentOff: null, amountOff: 500, currency: "USD" }, { amount: 1099, currency: "EUR" })).toBeUndefined();
    expect(discounted({ percentOff: null, amountOff: 5000, currency: "USD" }, { amount: 2749, currency: "USD" })).toBeUndefined();
    expect(discountedStars(2115, 2749, 2200)).toBe(1693);
    expect(discountedStars(1, 2749, 10)).toBe(1);
    expect(discountedStars(1695, 2199, 2199)).toBe(1695);
  });

  it("checks the day, the uses and the product at checkout", () => {
    const product = getProduct(db, "steam-20-usd")!;
    const total = { amount: 2199, currency: "USD" };
    const now = Date.parse("2026-06-01T00:00:00Z");
    addPromo(db, { code: "ONE", percentOff: 10, amountOff: null, currency: null, maxUses: 1, expiresAt: endOfDay("2026-06-30")!, scope: "psn-25-usd" }, "admin:1", now);
    expect(checkPromo(db, "one", product, total, now)).toEqual({ ok: false, reason: "not_for_product" });
    const psn = getProduct(db, "psn-25-usd")!;
    expect(checkPromo(db, "one", psn, { amount: 2749, currency: "USD" }, now)).toMatchObject({ ok: true, amount: 2475 });
    expect(checkPromo(db, "one", psn, { amount: 2749, currency: "USD" }, endOfDay("2026-06-30")! + 1)).toEqual({ ok: false, reason: "expired" });
    db.$client.prepare("UPDATE promo_codes SET uses = 1 WHERE code = 'ONE'").run();
    expect(checkPromo(db, "one", psn, { amount: 2749, currency: "USD" }, now)).toEqual({ ok: false, reason: "used_up" });
    expect(checkPromo(db, "nope", product, total, now)).toEqual({ ok: false, reason: "unknown" });
  });
});

describe("amounts typed by an admin", () => {
  it("are read exactly in the currency's digits", () => {
    expect(parseDecimal("19.99", "USD")).toBe(1999);
    expect(parseDecimal("19,9", "EUR")).toBe(1990);
    expect(parseDecimal("1500", "JPY")).toBe(1500);
    expect(parseDecimal("15.5", "JPY")).toBeUndefined();
    expect(parseDecimal("0", "USD")).toBeUndefined();
    expect(parseDecimal("-1", "USD")).toBeUndefined();
    expect(toDecimal({ amount: 5, currency: "USD" })).toBe("0.05");
    expect(toDecimal({ amount: 1500, currency: "JPY" })).toBe("1500");
  });
});

describe("/products page buttons", () => {
  it("carry the filter cut to Telegram's 64 bytes of button data, whatever its alphabet, and the handler reads them back", () => {
    const cyrillic = "Подарочная карта для игр и подписок на год";
    for (const filter of [cyrillic, "x".repeat(60), "🎮".repeat(30), "steam"]) {
      const data = productsPageData(12, filter);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      const match = PAGE_DATA.exec(data);
      expect(match?.[1]).toBe("12");
      expect(filter.startsWith(match![2]!)).toBe(true);
    }
    expect(productsPageData(1, "steam")).toBe("pl:1:steam");
    // The former cut (40 characters) gave 85 bytes for this filter: Telegram refuses such a button.
    expect(Buffer.byteLength(`pl:12:${cyrillic.slice(0, 40)}`)).toBeGreaterThan(64);
  });
});
