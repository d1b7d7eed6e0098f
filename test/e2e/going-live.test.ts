// Going live: backup and restore while the shop runs, catalog sync with markup and a price change, and
// Telegram webhook mode receiving an update through the shop's HTTP server.
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { TELEGRAM_WEBHOOK_PATH, createShop } from "../../src/app.js";
import { markupPrice, syncFromSupplier } from "../../src/catalog/supplier-sync.js";
import { getProduct } from "../../src/catalog/catalog.js";
import { loadConfig } from "../../src/config.js";
import { products } from "../../src/db/schema.js";
import { backupDatabase } from "../../src/ops/backup.js";
import { getOrder } from "../../src/orders/repository.js";
import { SIMULATOR_CATALOG } from "../../src/supplier/simulator-catalog.js";
import { createHttpSupplier } from "../../src/supplier/http-client.js";
import { ADMIN_ID, ENCRYPTION_KEY, SUPPLIER_KEY, reloadlyEnv, STEAM_20, openOrder, paidOrder, startHarness, waitForStatus, type Harness } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("backups", () => {
  it("copies the database while the shop runs; the shop starts on the restored copy with every order", async () => {
    h = await startHarness();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await paidOrder(h, 6000 + i, STEAM_20));
    for (const id of ids) await waitForStatus(h, id, "delivered");
    // Keep writing while the backup runs.
    const writing = paidOrder(h, 6010, STEAM_20);
    const backup = await backupDatabase(h.dbPath, join(h.dir, "backups", "shop.sqlite"));
    ids.push(await writing);
    expect(backup.pages).toBeGreaterThan(0);

    const restored = join(h.dir, "restored.sqlite");
    copyFileSync(backup.path, restored);
    expect(existsSync(`${restored}-wal`)).toBe(false);
    const config = loadConfig({ ...process.env, ...baseEnv(h), DATABASE_PATH: restored, HTTP_PORT: "0" });
    const shop = createShop(config, { noPolling: true, pacing: false, logDestination: { write: () => true } as never });
    try {
      for (const id of ids.slice(0, 3)) expect(getOrder(shop.db, id)?.status).toBe("delivered");
      const count = shop.db.$client.prepare("SELECT count(*) AS n FROM orders").get() as { n: number };
      expect(count.n).toBeGreaterThanOrEqual(3);
    } finally {
      shop.db.$client.close();
    }
  });
});

function baseEnv(harness: Harness): Record<string, string> {
  return {
    BOT_TOKEN: "123456:TEST-token-for-the-fake-bot-api",
    TELEGRAM_API_ROOT: harness.telegram.apiRoot,
    OPS_CHAT_ID: "-1001234567890",
    STRIPE_SECRET_KEY: "sk_test_fake",
    STRIPE_WEBHOOK_SECRET: "whsec_test_secret_for_signatures",
    STRIPE_API_URL: harness.stripe.url,
    SUPPLIER_API_URL: harness.supplier.url,
    SUPPLIER_API_KEY: "sim-key-123",
    SUPPLIER_WEBHOOK_SECRET: "supplier-webhook-secret-0123456789",
    ...reloadlyEnv(harness.reloadly),
    SUPPORT_CONTACT: "@shop_support",
    CODE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    CATALOG_PATH: "catalog.example.json",
    LOG_LEVEL: "silent",
  };
}

describe("catalog sync from the supplier", () => {
  it("prices by the markup rule and rounds to a nice price", () => {
    expect(markupPrice(1850, "USD", { percent: 12 })).toBe(2099); // 20.72 → 20.99
    expect(markupPrice(1800, "USD", { percent: 10 })).toBe(1999); // 19.80 → 19.99
    expect(markupPrice(1000, "USD", { percent: 0 })).toBe(1000);
    expect(markupPrice(1001, "USD", { percent: 0 })).toBe(1049);
    expect(markupPrice(1000, "JPY", { percent: 12 })).toBe(1129);
  });

  it("adds new products disabled, follows cost changes, hides what is out of stock, and leaves orders alone", async () => {
    const catalog = structuredClone(SIMULATOR_CATALOG);
    catalog.push({
      sku: "netflix-25-usd", name: "Netflix 25 USD", kind: "code", face_value: { amount: 2500, currency: "USD" },
      cost: { amount: 2300, currency: "USD" }, requires_pin: false, in_stock: true, instructions: "netflix.com/redeem",
    });
    h = await startHarness({ simulator: { catalog } });
    const deps = { db: h.shop.db, supplier: createHttpSupplier({ baseUrl: h.supplier.url, apiKey: SUPPLIER_KEY, timeoutMs: 2000 }), logger: h.shop.logger, now: Date.now };
    const first = await syncFromSupplier(deps, { percent: 12 });
    expect(first.added).toEqual(["netflix-25-usd"]);
    const added = getProduct(h.shop.db, "netflix-25-usd")!;
    expect(added).toMatchObject({ enabled: false, priceAmount: 2599, priceSource: "markup", inStock: true });

    // The operator enables it; a customer orders it at 25.99.
    h.shop.db.update(products).set({ enabled: true }).where(eq(products.sku, "netflix-25-usd")).run();
    const { orderId } = await openOrder(h, h.customer(6100), ["/start buy_netflix-25-usd"]);
    expect(getOrder(h.shop.db, orderId)!.amount).toBe(2599);

    // The supplier's cost goes up; the product is repriced, the open order is not.
    catalog.find((p) => p.sku === "netflix-25-usd")!.cost.amount = 2500;
    const second = await syncFromSupplier(deps, { percent: 12 });
    expect(second.repriced).toEqual([{ sku: "netflix-25-usd", from: 2599, to: 2800 }]);
    expect(getProduct(h.shop.db, "netflix-25-usd")!.priceAmount).toBe(2800);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 2599, product: { unitPrice: { amount: 2599, currency: "USD" } } });
    // Products priced by the operator's file keep their price whatever the cost does.
    expect(getProduct(h.shop.db, "steam-20-usd")!.priceAmount).toBe(2199);

    // Out of stock: hidden from customers.
    catalog.find((p) => p.sku === "psn-25-usd")!.in_stock = false;
    const third = await syncFromSupplier(deps, { percent: 12 });
    expect(third.outOfStock).toEqual(["psn-25-usd"]);
    const c = h.customer(6101);
    c.say("/start buy_psn-25-usd");
    await c.expect("This product is not available any more. Here is what the shop has now.");
    c.tap("Gift cards");
    const list = await c.expect("Gift cards: pick a product");
    expect(list.buttons.flat().some((b) => b.text.includes("PlayStation"))).toBe(false);
  });

  it("/sync reports to an admin", async () => {
    h = await startHarness();
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, "/sync");
    await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("Catalog synced from the generic supplier"));
  });
});

describe("Telegram webhook mode", () => {
  it("registers the webhook with its secret and takes updates through the shop's HTTP server", async () => {
    const secret = "s3cret-token-for-telegram-0123";
    h = await startHarness({ env: { BOT_MODE: "webhook", WEBHOOK_URL: "https://shop.example.com", TELEGRAM_WEBHOOK_SECRET: secret } });
    const registration = h.telegram.calls.find((c) => c.method === "setWebhook")!;
    expect(registration.params["url"]).toBe(`https://shop.example.com${TELEGRAM_WEBHOOK_PATH}`);
    expect(registration.params["secret_token"]).toBe(secret);
    expect(h.telegram.calls.some((c) => c.method === "getUpdates")).toBe(false);

    const customer = h.customer(6200);
    const update = (text: string, id: number) => ({
      update_id: id,
      message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: 6200, type: "private", first_name: "W" }, from: { id: 6200, is_bot: false, first_name: "W", language_code: "en" }, text, entities: [{ type: "bot_command", offset: 0, length: text.length }] },
    });
    const post = (body: unknown, token?: string) =>
      fetch(`${h.shopUrl}${TELEGRAM_WEBHOOK_PATH}`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { "x-telegram-bot-api-secret-token": token } : {}) }, body: JSON.stringify(body) });

    const forged = await post(update("/help", 1), "wrong-secret-token-123456");
    expect(forged.status).toBe(401);
    const started = Date.now();
    const accepted = await post(update("/start", 2), secret);
    expect(accepted.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_500);
    await customer.expect("Pick a category");
    expect(customer.messages().some((m) => m.text.includes("This bot sells"))).toBe(false);
    const health = await (await fetch(`${h.shopUrl}/healthz`)).json();
    expect(health).toMatchObject({ status: "ok", bot: true });
  });
});
