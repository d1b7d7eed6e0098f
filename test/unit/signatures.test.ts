import { describe, expect, it } from "vitest";
import Stripe from "stripe";
import { signSupplierPayload, verifySupplierSignature } from "../../src/supplier/webhook.js";

const stripe = new Stripe("sk_test_x");
const secret = "whsec_unit_test_secret";
const payload = JSON.stringify({ id: "evt_1", type: "checkout.session.completed", data: { object: { id: "cs_1", amount_total: 2199 } } });

describe("Stripe signatures", () => {
  const header = (body = payload, timestamp = Math.floor(Date.now() / 1000), key = secret) =>
    stripe.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp });

  it("accepts a valid signature", () => {
    expect(stripe.webhooks.constructEvent(payload, header(), secret).id).toBe("evt_1");
  });
  it("refuses a forged one", () => {
    expect(() => stripe.webhooks.constructEvent(payload, header(payload, undefined, "whsec_other"), secret)).toThrow();
  });
  it("refuses a stale one (over 300 s)", () => {
    expect(() => stripe.webhooks.constructEvent(payload, header(payload, Math.floor(Date.now() / 1000) - 301), secret)).toThrow(/tolerance/i);
  });
  it("refuses a body re-serialized after signing", () => {
    const reserialized = JSON.stringify(JSON.parse(payload), null, 2);
    expect(() => stripe.webhooks.constructEvent(reserialized, header(), secret)).toThrow();
  });
});

describe("supplier signatures", () => {
  const key = "supplier-secret-0123456789";
  const body = Buffer.from('{"id":"evt_x"}');
  const now = 1_795_800_000_000;
  const t = now / 1000;
  it("accepts t=…,v1=… over \"<t>.<raw body>\"", () => {
    expect(verifySupplierSignature(`t=${t},v1=${signSupplierPayload(key, t, body)}`, body, key, now)).toBeNull();
  });
  it("accepts one good v1 among several (secret rotation)", () => {
    expect(verifySupplierSignature(`t=${t},v1=${"0".repeat(64)},v1=${signSupplierPayload(key, t, body)}`, body, key, now)).toBeNull();
  });
  it.each([
    ["missing", undefined, "no X-Supplier-Signature header"],
    ["malformed", "garbage", "malformed signature header"],
    ["forged", `t=${t},v1=${"a".repeat(64)}`, "signature does not match"],
    ["stale", `t=${t - 301},v1=${signSupplierPayload(key, t - 301, body)}`, "timestamp outside the 300-second tolerance"],
    ["from the future", `t=${t + 301},v1=${signSupplierPayload(key, t + 301, body)}`, "timestamp outside the 300-second tolerance"],
  ])("refuses a %s signature", (_what, header, reason) => {
    expect(verifySupplierSignature(header, body, key, now)).toBe(reason);
  });
  it("refuses a body changed after signing", () => {
    expect(verifySupplierSignature(`t=${t},v1=${signSupplierPayload(key, t, body)}`, Buffer.from('{"id":"evt_y"}'), key, now)).toBe("signature does not match");
  });
});
