import { describe, expect, it } from "vitest";
import type { ProductSnapshot } from "../../src/db/schema.js";
import { validateCompletedOrder } from "../../src/fulfilment/validate.js";
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
    const result = validateCompletedOrder(codeProduct, 2, order([{ code: " AAA-BBB ", pin: "1234" }, { code: "CCC", pin: "9" }]));
    expect(result).toEqual({ ok: true, confirmation: null, items: [
      { code: "AAA-BBB", pin: "1234", serial: null, expiresAt: null },
      { code: "CCC", pin: "9", serial: null, expiresAt: null },
    ] });
  });
  it.each([
    ["an empty code", [{ code: "", pin: "1" }], 1],
    ["a blank code", [{ code: "   ", pin: "1" }], 1],
    ["a null code", [{ code: null, pin: "1" }], 1],
    ["a missing PIN", [{ code: "A", pin: null }], 1],
    ["an empty PIN", [{ code: "A", pin: " " }], 1],
    ["fewer codes than units", [{ code: "A", pin: "1" }], 2],
    ["no items", [], 1],
  ] as const)("refuses %s", (_what, items, quantity) => {
    expect(validateCompletedOrder(codeProduct, quantity, order([...items])).ok).toBe(false);
  });
  it("refuses anything but completed", () => {
    expect(validateCompletedOrder(codeProduct, 1, order([{ code: "A", pin: "1" }], { status: "pending" })).ok).toBe(false);
  });
  it("needs a confirmation for a top-up", () => {
    const topup = { ...codeProduct, kind: "topup" as const, requiresPin: false };
    expect(validateCompletedOrder(topup, 1, order([], { quantity: 1, confirmation: null })).ok).toBe(false);
    expect(validateCompletedOrder(topup, 1, order([], { quantity: 1, confirmation: { operator_transaction_id: "OP-1" } })).ok).toBe(true);
  });
});
