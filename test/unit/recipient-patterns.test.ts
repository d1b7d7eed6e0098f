// Recipient patterns are checked and compiled when the catalog is loaded: anchored, length-capped, and refused
// (naming the product) when they could backtrack catastrophically; the checkout only runs what was compiled.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CatalogError, getProduct, parseCatalog, syncCatalog } from "../../src/catalog/catalog.js";
import { compileRecipientPattern, PATTERN_MAX_LENGTH, RECIPIENT_MAX_LENGTH } from "../../src/catalog/recipient-patterns.js";
import { openDatabase } from "../../src/db/connection.js";
import { products } from "../../src/db/schema.js";
import { isValidRecipient } from "../../src/payments/checkout.js";

const example = JSON.parse(readFileSync("catalog.example.json", "utf8")) as { products: Array<Record<string, unknown>> };
const topup = example.products.find((p) => p["sku"] === "pubg-660-uc")!;

function withPattern(pattern: string) {
  return { products: [{ ...topup, recipient: { ...(topup["recipient"] as object), pattern } }] };
}

describe("recipient patterns", () => {
  it("refuses, at load and naming the product, a pattern that could backtrack catastrophically", () => {
    for (const pattern of ["^([0-9]+)+$", "^(\\d|\\d\\d)+$", "^(a|a)*$", "^(\\w+\\s?)*$"]) {
      expect(() => parseCatalog(withPattern(pattern), "catalog.json")).toThrow(CatalogError);
      expect(() => parseCatalog(withPattern(pattern), "catalog.json")).toThrow(/^catalog\.json: product "pubg-660-uc", field "recipient\.pattern": could backtrack catastrophically/);
    }
  });

  it("refuses a pattern longer than the cap, and one that is not a regular expression", () => {
    expect(() => parseCatalog(withPattern(`^${"[0-9]".repeat(PATTERN_MAX_LENGTH)}$`))).toThrow(/field "recipient\.pattern": is \d+ characters long/);
    expect(() => parseCatalog(withPattern("^([0-9]+$"))).toThrow(/field "recipient\.pattern": must be a valid regular expression/);
  });

  it("takes every pattern of the example catalog", () => {
    for (const product of example.products) {
      const rule = product["recipient"] as { pattern: string } | undefined;
      if (rule) expect(compileRecipientPattern(rule.pattern), rule.pattern).toMatchObject({ ok: true });
    }
  });

  it("matches the whole input: a pattern written without ^ and $ is anchored", () => {
    const verdict = compileRecipientPattern("[0-9]{8}|[0-9]{10}");
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.regex.test("12345678")).toBe(true);
    expect(verdict.regex.test("1234567890")).toBe(true);
    expect(verdict.regex.test("abc12345678")).toBe(false);
    expect(verdict.regex.test("123456789")).toBe(false);
  });

  it("the checkout runs the pattern compiled at load, never one it would compile itself, on at most the capped length", () => {
    const db = openDatabase(":memory:");
    syncCatalog(db, parseCatalog(withPattern("[0-9]{8,12}")), 0);
    const product = getProduct(db, "pubg-660-uc")!;
    expect(isValidRecipient(db, product, "5123456789")).toBe(true);
    expect(isValidRecipient(db, product, "x5123456789")).toBe(false);
    expect(isValidRecipient(db, product, "1".repeat(RECIPIENT_MAX_LENGTH + 1))).toBe(false);
    // A rule changed in the database behind the shop's back is not compiled at checkout: no recipient fits it.
    db.update(products).set({ recipientRule: { type: "player_id", pattern: "^([0-9]+)+$" } }).where(eq(products.sku, "pubg-660-uc")).run();
    const changed = getProduct(db, "pubg-660-uc")!;
    const started = performance.now();
    expect(isValidRecipient(db, changed, `${"1".repeat(40)}x`)).toBe(false);
    expect(isValidRecipient(db, changed, "5123456789")).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
