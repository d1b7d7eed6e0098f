// The last check before dispute evidence leaves the shop (risk/evidence.ts fieldWithSecret): an order's code, PIN or
// serial in any field, in any spelling, stops it; dates, times and amounts that merely share digits do not.
import { describe, expect, it } from "vitest";
import { fieldWithSecret, type DisputeEvidence } from "../../src/risk/evidence.js";

function evidence(overrides: Partial<DisputeEvidence> = {}): DisputeEvidence {
  return {
    product_description: "Steam Wallet 20 USD (digital gift card / game code), face value $20.00, quantity 1, paid $21.99.",
    access_activity_log: "Order ORD-7K3M9Q2X created 2026-05-01 12:34:56 UTC by Telegram user 3001.\nDelivered 2026-05-01 12:35:02 UTC as Telegram message 1234 in chat 3001.",
    uncategorized_text: "Customer: Telegram user 3001, known to the shop since 2026-04-01 09:00:00 UTC (30 days before this order).",
    service_date: "2026-05-01",
    customer_name: "Alex",
    communication: "Messages the shop sent to Telegram user 3001 about order ORD-7K3M9Q2X (the code itself is omitted here).",
    ...overrides,
  };
}

const CODE = "XG7QK-2MHPA-9RTCW";
const PIN = "48213907";
const SERIAL = "SN482139071";

describe("a code, PIN or serial in the evidence", () => {
  it("finds none in the shop's usual evidence", () => {
    expect(fieldWithSecret(evidence(), [CODE, PIN, SERIAL])).toBeUndefined();
  });

  it.each([
    ["as delivered", `Your code: ${CODE}`],
    ["in lower case", `code ${CODE.toLowerCase()}`],
    ["without its dashes", "XG7QK2MHPA9RTCW"],
    ["with spaces for dashes", "XG7QK 2MHPA 9RTCW"],
    ["inside a sentence", `the buyer redeemed (XG7QK-2MHPA-9RTCW) at once`],
    ["split by dots", "XG7QK.2MHPA.9RTCW"],
  ])("finds the code %s, and names the field", (_how, text) => {
    expect(fieldWithSecret(evidence({ uncategorized_text: `Order event log:\n${text}` }), [CODE, null])).toBe("uncategorized_text");
  });

  it("finds the PIN and the serial, in the customer communication too", () => {
    expect(fieldWithSecret(evidence({ communication: `PIN: ${PIN}` }), [CODE, PIN, SERIAL])).toBe("communication");
    expect(fieldWithSecret(evidence({ product_description: `serial sn-482139071` }), [CODE, PIN, SERIAL])).toBe("product_description");
  });

  it("looks for a short PIN as a word of its own: not inside a time, a date or a longer number", () => {
    const text = "Paid 2026-05-01 12:34 UTC, message 81234, amount $12.34.";
    expect(fieldWithSecret(evidence({ access_activity_log: text }), ["1234"])).toBeUndefined();
    expect(fieldWithSecret(evidence({ access_activity_log: `${text} PIN 1234.` }), ["1234"])).toBe("access_activity_log");
    expect(fieldWithSecret(evidence({ access_activity_log: "code ab12-cd" }), ["AB12CD"])).toBe("access_activity_log");
  });

  it("ignores an empty secret (an item without a PIN)", () => {
    expect(fieldWithSecret(evidence(), ["", null, " - "])).toBeUndefined();
  });
});
