// Security checks: no code or PIN in plaintext in the raw SQLite files or the logs, no secret in the logs,
// and the sandbox refuses to start with a real token.
import { readFileSync, existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/sandbox.js";
import { ENCRYPTION_KEY, openOrder, RAZER_10, STEAM_20, STRIPE_SECRET, SUPPLIER_KEY, SUPPLIER_SECRET, TOKEN, paidOrder, startHarness, waitForStatus, type Harness } from "../helpers/harness.js";

let h: Harness;
const secrets: string[] = [];
beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: "trace" }, shop: { pipeline: { backoffBaseMs: 20 } } });
  // The first delivery attempts fail: the errors (with their payloads) are logged, and must not carry the code.
  const first = await openOrder(h, h.customer(9001), STEAM_20);
  h.telegram.failNext("sendMessage", 3, { code: 500, description: "Internal Server Error" });
  await h.stripe.completeCheckout(first.sessionId);
  const a = first.orderId;
  const b = await paidOrder(h, 9002, RAZER_10);
  await waitForStatus(h, a, "delivered");
  await waitForStatus(h, b, "delivered");
  // The customer opens the order again: the code is decrypted for the view, and must not leak into logs.
  const c = h.customer(9001);
  c.say(`/start order_${a}`);
  await c.expect("Status: delivered");
  secrets.push(TOKEN, STRIPE_SECRET, SUPPLIER_KEY, SUPPLIER_SECRET, ENCRYPTION_KEY, "sk_test_fake");
});
afterAll(async () => {
  await h.close();
});

function issuedSecrets(): string[] {
  const values: string[] = [];
  for (const reference of h.supplier.createdByReference.keys()) {
    for (const item of h.supplier.orderByReference(reference)!.items) {
      if (item.code) values.push(item.code);
      if (item.pin) values.push(item.pin);
    }
  }
  return values;
}

describe("codes and PINs at rest", () => {
  it("never appear in plaintext in the SQLite files (database and WAL)", () => {
    const codes = issuedSecrets();
    expect(codes.length).toBeGreaterThanOrEqual(3); // two codes and a PIN
    h.shop.db.$client.pragma("wal_checkpoint(PASSIVE)");
    for (const file of [h.dbPath, `${h.dbPath}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString("latin1");
      for (const code of codes) expect(bytes.includes(code), `${code} found in ${file}`).toBe(false);
    }
  });

  it("never appear in the logs, even at trace level", () => {
    const logs = h.logs.join("");
    expect(logs.length).toBeGreaterThan(1000);
    for (const code of issuedSecrets()) expect(logs.includes(code), `${code} found in the logs`).toBe(false);
  });
});

describe("secrets", () => {
  it("never appear in the logs", () => {
    const logs = h.logs.join("");
    for (const secret of secrets) expect(logs.includes(secret), "a secret was logged").toBe(false);
  });

  it("the sandbox cannot start with a real token", async () => {
    await expect(startSandbox({ env: { BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ" } })).rejects.toThrow(/never runs with a real bot token/);
  });

  it("the sandbox refuses to use the production database", async () => {
    await expect(startSandbox({ env: { DATABASE_PATH: "./data/shop.sqlite", SANDBOX_DATABASE_PATH: "./data/shop.sqlite" } })).rejects.toThrow(/own file/);
  });
});
