import { describe, expect, it } from "vitest";
import { formatMoney, minorDigits, multiply, sameMoney } from "../../src/lib/money.js";

describe("money", () => {
  it("knows each currency's minor digits", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
  });
  it("formats exactly from integers, per locale", () => {
    expect(formatMoney({ amount: 2199, currency: "USD" }, "en")).toBe("$21.99");
    expect(formatMoney({ amount: 150000, currency: "RUB" }, "ru").replace(/\s/g, " ")).toBe("1 500,00 \u20bd");
    expect(formatMoney({ amount: 1000, currency: "JPY" }, "en")).toBe("¥1,000");
    expect(formatMoney({ amount: 1, currency: "USD" }, "en")).toBe("$0.01");
    expect(formatMoney({ amount: 86, currency: "XDI" }, "en")).toBe("86 XDI");
    expect(formatMoney({ amount: 1695, currency: "XTR" }, "en")).toBe("⭐ 1,695");
    // 0.1 + 0.2 territory: no float ever touches the amount.
    expect(formatMoney({ amount: 30, currency: "USD" }, "en")).toBe("$0.30");
    expect(formatMoney({ amount: 9_007_199_254_740_991, currency: "USD" }, "en")).toBe("$90,071,992,547,409.91");
  });
  it("multiplies only whole numbers and refuses overflow", () => {
    expect(multiply({ amount: 2199, currency: "USD" }, 3)).toEqual({ amount: 6597, currency: "USD" });
    expect(() => multiply({ amount: 21.99, currency: "USD" }, 1)).toThrow(RangeError);
    expect(() => multiply({ amount: 100, currency: "USD" }, 0)).toThrow(RangeError);
    expect(() => multiply({ amount: Number.MAX_SAFE_INTEGER, currency: "USD" }, 2)).toThrow(RangeError);
  });
  it("compares amount and currency", () => {
    expect(sameMoney({ amount: 1, currency: "usd" }, { amount: 1, currency: "USD" })).toBe(true);
    expect(sameMoney({ amount: 1, currency: "USD" }, { amount: 1, currency: "EUR" })).toBe(false);
  });
});
