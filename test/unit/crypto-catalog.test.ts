import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createCodeCipher } from "../../src/lib/crypto.js";
import { parseCatalog, readCatalogFile } from "../../src/catalog/catalog.js";
import { createOrderId, ORDER_ID_PATTERN } from "../../src/lib/ids.js";

describe("codes at rest", () => {
  const cipher = createCodeCipher(randomBytes(32));
  it("round-trips and never shows the code", () => {
    const sealed = cipher.seal("ABCDE-12345", "ORD-1");
    expect(sealed).not.toContain("ABCDE");
    expect(cipher.open(sealed, "ORD-1")).toBe("ABCDE-12345");
  });
  it("does not open under another order id or key, or when tampered with", () => {
    const sealed = cipher.seal("ABCDE-12345", "ORD-1");
    expect(() => cipher.open(sealed, "ORD-2")).toThrow();
    expect(() => createCodeCipher(randomBytes(32)).open(sealed, "ORD-1")).toThrow();
    const parts = sealed.split(".");
    parts[3] = Buffer.from("XXXXX-12345").toString("base64url");
    expect(() => cipher.open(parts.join("."), "ORD-1")).toThrow();
  });
});

describe("order ids", () => {
  it("are short, URL-safe and fit a deep link", () => {
    for (let i = 0; i < 200; i++) {
      const id = createOrderId();
      expect(id).toMatch(ORDER_ID_PATTERN);
      expect(`paid_${id}`).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    }
  });
});

describe("the catalog file", () => {
  const product = {
    sku: "steam-20-usd", name: "Steam 20", category: "Gift cards", kind: "code",
    face_value: { amount: 2000, currency: "USD" }, price: { amount: 2199, currency: "USD" }, instructions: "Redeem",
  };
  it("reads the example catalog", () => {
    const products = readCatalogFile("catalog.example.json");
    expect(products.length).toBeGreaterThanOrEqual(8);
    expect(new Set(products.map((p) => p.kind))).toEqual(new Set(["code", "topup"]));
  });
  it.each([
    [{ ...product, price: { amount: 21.99, currency: "USD" } }, /product "steam-20-usd", field "price.amount"/],
    [{ ...product, price: { amount: 2199, currency: "usd" } }, /field "price.currency"/],
    [{ ...product, kind: "topup" }, /field "recipient": a top-up needs a recipient rule/],
    [{ ...product, sku: undefined }, /product #1, field "sku"/],
    [{ ...product, recipient: { type: "phone", pattern: "(" } }, /field "recipient.pattern"/],
    [{ ...product, colour: "red" }, /product "steam-20-usd"/],
  ])("names the product and the field of an error (%#)", (bad, message) => {
    expect(() => parseCatalog({ products: [bad] })).toThrow(message);
  });
  it("refuses a duplicated sku", () => {
    expect(() => parseCatalog({ products: [product, product] })).toThrow(/product "steam-20-usd", field "sku": appears twice/);
  });
});
