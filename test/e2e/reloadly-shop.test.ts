// A shop configured only with RELOADLY_* variables (no generic supplier) and a catalog of Reloadly sources
// sells gift cards and airtime end to end against the Reloadly simulator; a catalog that names a supplier
// the shop does not have stops the start with one line naming the product.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../src/app.js";
import { CatalogError } from "../../src/catalog/catalog.js";
import { loadConfig } from "../../src/config.js";
import { getDeliveredItems, getOrder } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { ADMIN_ID, ENCRYPTION_KEY, OPS_CHAT_ID, TOKEN, openOrder, payButton, paidOrder, reloadlyEnv, startHarness, waitForStatus, type Harness } from "../helpers/harness.js";

const PRODUCTS = [
  {
    sku: "amazon-us-25", name: "Amazon.com 25 USD", category: "Gift cards", kind: "code", face_value: { amount: 2500, currency: "USD" },
    price: { amount: 2699, currency: "USD" }, max_quantity: 2, instructions: "amazon.com/redeem", sources: [{ supplier: "reloadly", product_id: 5, unit_price: 25 }],
  },
  {
    sku: "psn-us-10", name: "PlayStation Store 10 USD", category: "Gift cards", kind: "code", face_value: { amount: 1000, currency: "USD" },
    price: { amount: 1099, currency: "USD" }, instructions: "PlayStation Store → Redeem codes", sources: [{ supplier: "reloadly", product_id: 13, unit_price: 10 }],
  },
  {
    sku: "digicel-ht-10", name: "Digicel Haiti 10 USD", category: "Mobile airtime", kind: "topup", face_value: { amount: 1000, currency: "USD" },
    price: { amount: 1149, currency: "USD" }, instructions: "Credited within a minute.",
    recipient: { type: "phone", pattern: "^\\+509[0-9]{8}$", hint: "+509 and 8 digits" }, sources: [{ supplier: "reloadly", operator_id: 173, amount: 10 }],
  },
  {
    // A typo: Amazon US has no 26 USD card. /sync says so before a customer pays for it.
    sku: "amazon-us-26", name: "Amazon.com 26 USD", category: "Gift cards", kind: "code", face_value: { amount: 2600, currency: "USD" },
    price: { amount: 2799, currency: "USD" }, instructions: "amazon.com/redeem", sources: [{ supplier: "reloadly", product_id: 5, unit_price: 26 }],
  },
];

let h: Harness;
let dir: string;
// No generic supplier: its three variables unset (an empty value counts as unset).
const noGeneric = { SUPPLIER_API_URL: "", SUPPLIER_API_KEY: "", SUPPLIER_WEBHOOK_SECRET: "" };

function writeCatalog(name: string, products: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ products }));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "reloadly-shop-"));
  h = await startHarness({
    env: { ...noGeneric, CATALOG_PATH: writeCatalog("catalog.json", PRODUCTS), SUPPLIER_POLL_INTERVAL_MS: "1000" },
    reloadly: { giftCardBehaviours: { 13: { outcome: "processing", resolveAfterPolls: 1 } } },
  });
  h.customer(ADMIN_ID);
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a shop with Reloadly only", () => {
  it("sells two gift cards in one order: the codes are Reloadly's cards, delivered and stored encrypted", async () => {
    const customer = h.customer(8001);
    const { orderId, sessionId } = await openOrder(h, customer, ["/start buy_amazon-us-25"], 2);
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "delivered");
    const cards = h.reloadly.orderByIdentifier(orderId)!.cards;
    expect(cards).toHaveLength(2);
    const delivery = await customer.expect(cards[0]!.cardNumber);
    expect(delivery.text).toContain(`<code>${cards[1]!.cardNumber}</code>`);
    expect(stripHtml(delivery.text)).toContain("Amazon.com 25 USD");
    expect(getDeliveredItems(h.shop.db, orderId).map((item) => item.codeEnc).join()).not.toContain(cards[0]!.cardNumber);
    // Neither the codes nor Reloadly's credentials or tokens reach the logs.
    const logs = h.logs.join("");
    for (const secret of [cards[0]!.cardNumber, cards[1]!.cardNumber, "reloadly-test-secret", "Bearer sim."]) expect(logs).not.toContain(secret);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ supplierName: "reloadly", supplierCostCurrency: "USD" });
  });

  it("polls a processing order until it is successful (Reloadly sends no webhooks)", async () => {
    const orderId = await paidOrder(h, 8002, ["/start buy_psn-us-10"]);
    await waitForStatus(h, orderId, "supplier_pending");
    await waitForStatus(h, orderId, "delivered", 10_000);
    await h.customer(8002).expect(h.reloadly.orderByIdentifier(orderId)!.cards[0]!.cardNumber);
  });

  it("tops up a phone number: the number sent to Reloadly with its country, the operator's reference delivered", async () => {
    const c = h.customer(8003);
    c.say("/start buy_digicel-ht-10");
    await c.expect("Digicel Haiti 10 USD");
    c.tap("Buy for");
    await c.expect("international form");
    c.say("+509 3637 7111");
    await c.expect("Please check your order");
    c.tap("Confirm");
    const checkout = await c.expect(/Order ORD-\w{8}/);
    const orderId = /ORD-\w{8}/.exec(stripHtml(checkout.text))![0];
    await h.stripe.completeCheckout(payButton(checkout).sessionId);
    await waitForStatus(h, orderId, "delivered");
    const order = getOrder(h.shop.db, orderId)!;
    const reference = String(order.supplierConfirmation!["operator_transaction_id"]);
    expect(reference).toMatch(/:OrderConfirmed$/);
    const delivered = await c.expect("sent to +50936377111");
    expect(stripHtml(delivered.text)).toContain(reference);
    expect(order.supplierConfirmation).toMatchObject({ delivered: { amount: 132_500, currency: "HTG" } });
  });

  it("answers /balance with Reloadly's, /sync with Reloadly's products checked, and 404 to supplier webhooks", async () => {
    h.telegram.sendText(ADMIN_ID, "/balance");
    await h.telegram.waitFor(ADMIN_ID, (m) => /^Supplier balance: \$[\d,]+\.\d\d$/.test(stripHtml(m.text)));
    h.telegram.sendText(ADMIN_ID, "/sync");
    const sync = stripHtml((await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("Reloadly sources checked"))).text);
    expect(sync).toContain("The generic supplier is not configured");
    expect(sync).toContain("Reloadly sources checked against GET /products: 3 gift card source(s), 1 Reloadly would refuse:");
    expect(sync).toContain("⚠️ amazon-us-26: 26 is not a denomination of Amazon US (10, 25, 50, 100 USD)");
    const webhook = await fetch(`${h.shopUrl}/webhooks/supplier`, { method: "POST", body: "{}" });
    expect(webhook.status).toBe(404);
  });
});

describe("checking sources at start", () => {
  function configWith(catalog: string, env: Record<string, string> = {}) {
    return loadConfig({
      BOT_TOKEN: TOKEN, OPS_CHAT_ID: String(OPS_CHAT_ID), STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x", SUPPORT_CONTACT: "@s",
      CODE_ENCRYPTION_KEY: ENCRYPTION_KEY, DATABASE_PATH: join(dir, "start.sqlite"), CATALOG_PATH: catalog, ...env,
    });
  }
  function startError(catalog: string, env: Record<string, string> = {}): string {
    try {
      createShop(configWith(catalog, env));
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      return (error as Error).message;
    }
    throw new Error("expected the start to fail");
  }

  it("refuses a source whose supplier is not configured, naming the product in one line", () => {
    const message = startError(writeCatalog("reloadly-missing.json", PRODUCTS));
    expect(message).toMatch(/product "amazon-us-25" lists the source "reloadly", which is not configured: set RELOADLY_CLIENT_ID and RELOADLY_CLIENT_SECRET/);
    expect(message).not.toContain("\n");
  });

  it("refuses a product without sources when the generic supplier is not configured", () => {
    const plain = { ...PRODUCTS[0], sku: "plain-card", sources: undefined };
    const message = startError(writeCatalog("no-generic.json", [plain]), reloadlyEnv(h.reloadly));
    expect(message).toMatch(/product "plain-card" has no "sources".*generic supplier, which is not configured: set SUPPLIER_API_URL/);
  });

  it("starts a shop that sells only from its own stock, with no supplier account at all", async () => {
    const stockOnly = [{ ...PRODUCTS[0], sku: "stock-card", sources: [{ supplier: "stock" }] }];
    const shop = createShop(configWith(writeCatalog("stock-only.json", stockOnly), { TELEGRAM_API_ROOT: h.telegram.apiRoot, HTTP_PORT: "0", DATABASE_PATH: join(dir, "stock-only.sqlite") }), {
      noPolling: true,
      pacing: false,
      logDestination: { write: () => true } as never,
    });
    expect([...shop.pipeline.suppliers.keys()]).toEqual(["stock"]);
    shop.db.$client.close();
  });

  it("refuses a source that cannot sell the product's kind", () => {
    const wrong = [{ ...PRODUCTS[2], sources: [{ supplier: "reloadly", product_id: 5, unit_price: 25 }] }];
    expect(startError(writeCatalog("wrong-kind.json", wrong), reloadlyEnv(h.reloadly))).toMatch(/product "digicel-ht-10", field "sources.0": a Reloadly gift card source \(product_id\) cannot sell a top-up/);
  });
});
