import { describe, expect, it } from "vitest";
import type { ProductSnapshot } from "../../src/db/schema.js";
import { LIMITS, validateCompletedOrder } from "../../src/fulfilment/validate.js";
import type { SupplierOrder } from "../../src/supplier/types.js";

const codeProduct: ProductSnapshot = {
  sku: "razer", name: "Razer Gold", category: "c", kind: "code",
  faceValue: { amount: 1000, currency: "USD" }, unitPrice: { amount: 1099, currency: "USD" },
  requiresPin: true, instructions: "x", recipientRule: null,
};
const order = (items: SupplierOrder["items"], extra: Partial<SupplierOrder> = {}): SupplierOrder => ({
  order_id: "SUP-1", reference: "ORD-1", sku: "razer", quantity: items.length, status: "completed", items, ...extra,
});

describe("code validation", () => {
  it("accepts one non-empty code per unit with the PIN the product needs", () => {
    const result = validateCompletedOrder(codeProduct, 2, order([{ code: " AAAAA-BBBBB ", pin: "1234" }, { code: "CCCCC-DDDDD", pin: "9" }]));
    expect(result).toEqual({ ok: true, confirmation: null, items: [
      { code: "AAAAA-BBBBB", pin: "1234", serial: null, expiresAt: null },
      { code: "CCCCC-DDDDD", pin: "9", serial: null, expiresAt: null },
    ] });
  });
  it.each([
    ["an empty code", [{ code: "", pin: "1" }], 1],
    ["a blank code", [{ code: "   ", pin: "1" }], 1],
    ["a null code", [{ code: null, pin: "1" }], 1],
    ["a missing PIN", [{ code: "AAAAA-BBBBB", pin: null }], 1],
    ["an empty PIN", [{ code: "AAAAA-BBBBB", pin: " " }], 1],
    ["fewer codes than units", [{ code: "AAAAA-BBBBB", pin: "1" }], 2],
    ["no items", [], 1],
  ] as const)("refuses %s", (_what, items, quantity) => {
    expect(validateCompletedOrder(codeProduct, quantity, order([...items])).ok).toBe(false);
  });
  it("refuses anything but completed", () => {
    expect(validateCompletedOrder(codeProduct, 1, order([{ code: "AAAAA-BBBBB", pin: "1" }], { status: "pending" })).ok).toBe(false);
  });
  it("needs a confirmation for a top-up", () => {
    const topup = { ...codeProduct, kind: "topup" as const, requiresPin: false };
    expect(validateCompletedOrder(topup, 1, order([], { quantity: 1, confirmation: null })).ok).toBe(false);
    expect(validateCompletedOrder(topup, 1, order([], { quantity: 1, confirmation: { operator_transaction_id: "OP-1" } })).ok).toBe(true);
  });
});

describe("the whole answer is checked against what we ordered", () => {
  const good = { code: "AAAAA-BBBBB-CCCCC", pin: "1234" };
  it("refuses an answer for another sku or another quantity", () => {
    expect(validateCompletedOrder(codeProduct, 1, order([good], { sku: "steam-100-usd" }))).toEqual({ ok: false, reason: "the answer is for sku steam-100-usd, not razer" });
    const answer = order([good, { code: "DDDDD-EEEEE-FFFFF", pin: "1" }], { quantity: 2 });
    expect(validateCompletedOrder(codeProduct, 1, answer)).toMatchObject({ ok: false, reason: "the answer is for a quantity of 2, not 1" });
    // What was sent decides (a supplier may know the product under another sku).
    expect(validateCompletedOrder(codeProduct, 1, order([good], { sku: "RZR-10" }), "RZR-10").ok).toBe(true);
  });
  it("refuses the same code twice in one answer, however it is written", () => {
    const twice = order([good, { code: "aaaaabbbbb-ccccc", pin: "2" }]);
    expect(validateCompletedOrder(codeProduct, 2, twice)).toEqual({ ok: false, reason: "item 2 repeats a code already in this answer" });
  });
  it.each([
    ["a code over the cap", { code: "A".repeat(LIMITS.codeMax + 1), pin: "1" }, /implausibly long code/],
    ["a code under the floor", { code: "short", pin: "1" }, /implausibly short code/],
    ["a code with a control character", { code: "AAAAA\u0000BBBBB", pin: "1" }, /malformed code/],
    ["a PIN over the cap", { code: "AAAAA-BBBBB", pin: "1".repeat(LIMITS.pin + 1) }, /malformed PIN/],
    ["a serial over the cap", { code: "AAAAA-BBBBB", pin: "1", serial: "S".repeat(LIMITS.serial + 1) }, /malformed serial/],
    ["instructions over the cap", { code: "AAAAA-BBBBB", pin: "1", instructions: "x ".repeat(LIMITS.instructions) }, /instructions over/],
  ] as const)("refuses %s", (_what, item, reason) => {
    const result = validateCompletedOrder(codeProduct, 1, order([item]));
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });
  it("refuses a top-up confirmation too large to be a confirmation", () => {
    const topup = { ...codeProduct, kind: "topup" as const, requiresPin: false };
    expect(validateCompletedOrder(topup, 1, order([], { quantity: 1, confirmation: { operator_transaction_id: "X".repeat(LIMITS.confirmation) } })).ok).toBe(false);
  });
});
