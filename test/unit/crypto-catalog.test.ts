import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createCodeCipher, createCodeFingerprinter } from "../../src/lib/crypto.js";
import { parseCatalog, readCatalogFile } from "../../src/catalog/catalog.js";
import { attemptReference, createOrderId, ORDER_ID_PATTERN, orderIdOfReference } from "../../src/lib/ids.js";

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

describe("fingerprints of stock codes", () => {
  it("match the same code however it is typed, differ between codes and keys, and hide the code", () => {
    const key = randomBytes(32);
    const fingerprint = createCodeFingerprinter(key);
    expect(fingerprint("abcd-efgh 1234")).toBe(fingerprint("ABCDEFGH1234"));
    expect(fingerprint("ABCDEFGH1234")).not.toBe(fingerprint("ABCDEFGH1235"));
    expect(createCodeFingerprinter(randomBytes(32))("ABCDEFGH1234")).not.toBe(fingerprint("ABCDEFGH1234"));
    expect(fingerprint("ABCDEFGH1234")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("attempt references", () => {
  it("are the order id for the first source and carry a suffix after a failover, and lead back to the order", () => {
    expect(attemptReference("ORD-7K3M9Q2X", 0)).toBe("ORD-7K3M9Q2X");
    expect(attemptReference("ORD-7K3M9Q2X", 2)).toBe("ORD-7K3M9Q2X-3");
    expect(orderIdOfReference("ORD-7K3M9Q2X-3")).toBe("ORD-7K3M9Q2X");
    expect(orderIdOfReference("ORD-12345678")).toBe("ORD-12345678");
    expect(orderIdOfReference("SOMETHING-ELSE")).toBe("SOMETHING-ELSE");
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
  it.each([
    [[{ supplier: "reloadly", product_id: 5 }], /field "sources.0.unit_price": is required/],
    [[{ supplier: "reloadly", product_id: 5, unit_price: 25.001 }], /field "sources.0.unit_price": must be more than 0, with at most two decimals/],
    [[{ supplier: "acme" }], /field "sources.0.supplier": must be one of generic, reloadly, stock/],
    [[{ supplier: "stock", colour: "red" }], /field "sources.0"/],
    [[{ supplier: "reloadly", operator_id: 173, amount: 10 }], /field "sources.0": a Reloadly top-up source \(operator_id\) cannot sell a code product/],
    [[], /field "sources"/],
  ])("checks each source against its supplier's fields (%#)", (sources, message) => {
    expect(() => parseCatalog({ products: [{ ...product, sources }] })).toThrow(message);
  });
  it("reads sources in order, and leaves products without them as they were", () => {
    const [routed, plain] = parseCatalog({
      products: [
        { ...product, sources: [{ supplier: "stock" }, { supplier: "reloadly", product_id: 5, unit_price: "25.00" }, { supplier: "generic", sku: "amazon-us-25" }] },
        { ...product, sku: "plain" },
      ],
    });
    expect(routed!.sources).toEqual([{ supplier: "stock" }, { supplier: "reloadly", product_id: 5, unit_price: 25 }, { supplier: "generic", sku: "amazon-us-25" }]);
    expect(plain!.sources).toBeUndefined();
  });
  it("refuses a duplicated sku", () => {
    expect(() => parseCatalog({ products: [product, product] })).toThrow(/product "steam-20-usd", field "sku": appears twice/);
  });
});
