// Loose ends customers and operators trip over (issue 19), each through the real shop against the fakes: a
// double tap inside the checkout, a shop name with HTML in it, paying a re-opened Stars order, a customer who
// unblocks the bot, codes that expire.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { getProduct } from "../../src/catalog/catalog.js";
import { syncFromSupplier } from "../../src/catalog/supplier-sync.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { SIMULATOR_CATALOG } from "../../src/supplier/simulator-catalog.js";
import { createHttpSupplier } from "../../src/supplier/http-client.js";
import { ADMIN_ID, OPS_CHAT_ID, SUPPLIER_KEY, confirmAsAdmin, openOrder, opsMessage, startHarness, statusOf, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("a fast double tap inside the checkout", () => {
  it("is not an error: the second edit finds the message as it is, and the quantity buttons still work", async () => {
    h = await startHarness();
    const c = h.customer(19_001);
    c.say("/start buy_steam-20-usd");
    const card = await c.expect("Steam Wallet 20 USD");
    const buy = card.buttons.flat().find((b) => b.text.startsWith("🛒"))!.callback_data!;
    // Two taps on Buy before the bot answered the first: both edit the card into the same question.
    const first = h.telegram.tap(c.id, card.message_id, buy);
    const second = h.telegram.tap(c.id, card.message_id, buy);
    await waitUntil(() => h.telegram.callbackAnswers.has(first) && h.telegram.callbackAnswers.has(second), 5000, "both taps answered");
    await c.expect("how many codes?");
    c.tap("1 ×");
    const checkout = await c.expect(/Order ORD-\w{8}/);
    expect(checkout.buttons.flat().some((b) => b.url)).toBe(true);
    const everything = c.messages().map((m) => stripHtml(m.text)).join("\n");
    expect(everything).not.toContain("Something went wrong");
    expect([...h.telegram.callbackAnswers.values()].map((a) => a.text ?? "")).not.toContain("Something went wrong on our side. Nothing was charged twice; please try again.");
    expect(h.logs.filter((line) => line.includes('"update failed"'))).toEqual([]);
  });
});

/** The example catalog with "<&>" after every text a customer reads, in every language. */
function catalogWithHtmlInIt(dir: string): string {
  const catalog = JSON.parse(readFileSync("catalog.example.json", "utf8")) as { products: Array<Record<string, unknown>> };
  const mark = (value: unknown): unknown =>
    typeof value === "string" ? `${value} <&>` : Object.fromEntries(Object.entries(value as Record<string, string>).map(([locale, text]) => [locale, `${text} <&>`]));
  for (const product of catalog.products) {
    for (const field of ["name", "category", "brand", "instructions"]) if (product[field] !== undefined) product[field] = mark(product[field]);
    const recipient = product["recipient"] as { hint?: unknown } | undefined;
    if (recipient?.hint !== undefined) recipient.hint = mark(recipient.hint);
  }
  const path = join(dir, "catalog-with-html.json");
  writeFileSync(path, JSON.stringify(catalog));
  return path;
}

describe("operator-supplied texts in Telegram's HTML", () => {
  it("are escaped everywhere: a shop called \"Tom & Jerry <Codes>\", a support contact and a catalog with <&> in every text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-"));
    h = await startHarness({ env: { SHOP_NAME: "Tom & Jerry <Codes>", SUPPORT_CONTACT: "<help> & co", CATALOG_PATH: catalogWithHtmlInIt(dir) } });
    const c = h.customer(19_101);
    c.say("/start");
    const welcome = await c.expect("Welcome to Tom & Jerry <Codes>!");
    expect(welcome.text).toContain("Tom &amp; Jerry &lt;Codes&gt;");
    // Browse, buy, pay and receive a code: every screen names the product.
    const { orderId, sessionId } = await openOrder(h, c, ["Gift cards <&>", "Steam Wallet <&> ·", "Steam Wallet 20 USD <&>"]);
    await h.stripe.completeCheckout(sessionId);
    const delivery = await c.expect("How to redeem");
    expect(stripHtml(delivery.text)).toContain("enter the code. <&>");
    expect(stripHtml(delivery.text)).toContain("Write to <help> & co");
    await waitForStatus(h, orderId, "delivered");
    c.say("/orders");
    await c.expect("Your orders");
    c.tap(orderId);
    await c.expect(/Order ORD-\w{8}\nSteam Wallet 20 USD <&> × 1/);
    c.say("/support");
    await c.expect("Need help? Write to <help> & co.");
    // A top-up: the question with its hint, and the confirmation.
    c.say("/start buy_mlbb-86-diamonds");
    await c.expect("Mobile Legends 86 Diamonds <&>");
    c.tap("Buy for");
    await c.expect(/Send the player ID.*<&>/s);
    c.say("12345678(2345)");
    await c.expect("Please check your order");
    expect(h.telegram.calls.filter((call) => call.status !== 200 && ["sendMessage", "editMessageText"].includes(call.method))).toEqual([]);
  });
});

describe("a Stars-only shop and a re-opened order", () => {
  it("shows a Pay button on the re-opened order that sends a fresh invoice for the same order, which pays it", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" } });
    const c = h.customer(19_201);
    const buy = async () => {
      const before = h.telegram.version;
      c.say("/start buy_psn-25-usd");
      await h.telegram.waitFor(c.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
      c.tap(/^🛒/);
      return h.telegram.waitFor(c.id, (m) => m.version > before && /Order ORD-\w{8}/.test(stripHtml(m.text)));
    };
    const first = await buy();
    const invoice = await h.telegram.waitFor(c.id, (m) => Boolean(m.invoice));
    const orderId = (invoice.invoice as { payload: string }).payload;
    // The same thing again within the payment window: the open order comes back, with a way to pay it.
    const again = await buy();
    expect(again.message_id).not.toBe(first.message_id);
    expect(stripHtml(again.text)).toContain(orderId);
    const pay = again.buttons.flat().find((b) => b.text.startsWith("⭐ Pay"));
    expect(pay, `buttons: ${again.buttons.flat().map((b) => b.text).join(" | ")}`).toBeDefined();
    const tapped = h.telegram.version;
    h.telegram.tap(c.id, again.message_id, pay!.callback_data!);
    const fresh = await h.telegram.waitFor(c.id, (m) => m.version > tapped && Boolean(m.invoice));
    expect((fresh.invoice as { payload: string }).payload).toBe(orderId);
    expect(fresh.message_id).not.toBe(invoice.message_id);
    const paid = await h.telegram.payInvoice(c.id, fresh.message_id);
    expect(paid.ok).toBe(true);
    await waitForStatus(h, orderId, "delivered");
  });
});

describe("a Stars refund whose answer never came", () => {
  it("is checked in Telegram's ledger before Retry or Enter code: a refunded payment is not fulfilled, and the admin is told why", async () => {
    h = await startHarness({
      env: { PAYMENT_METHODS: "stars", SUPPLIER_MAX_ATTEMPTS: "1", SUPPLIER_RETRY_BASE_MS: "10" },
      simulator: { behaviours: { "xbox-15-usd": { outcome: "fail" } } },
    });
    // Telegram returns the Stars, but every answer to refundStarPayment is an error: the shop never learns it.
    h.telegram.failNext("refundStarPayment", 1, { code: 429, description: "Too Many Requests: the answer was lost", afterEffect: true });
    h.telegram.failNext("refundStarPayment", 5, { code: 429, description: "Too Many Requests: the answer was lost" });
    const c = h.customer(19_301);
    const before = h.telegram.version;
    c.say("/start buy_xbox-15-usd");
    await h.telegram.waitFor(c.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
    c.tap(/^🛒/);
    const invoice = await h.telegram.waitFor(c.id, (m) => m.version > before && Boolean(m.invoice));
    const orderId = (invoice.invoice as { payload: string }).payload;
    const paid = await h.telegram.payInvoice(c.id, invoice.message_id);
    await waitForStatus(h, orderId, "needs_review", 15_000);
    expect(h.telegram.starRefunds).toEqual([{ userId: c.id, chargeId: paid.chargeId }]);
    const suppliedBefore = h.supplier.createdByReference.get(orderId);

    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/retry ${orderId}`, { chatId: OPS_CHAT_ID });
    const refusal = await opsMessage(h, `${orderId}: Telegram's ledger shows its Stars payment (${paid.chargeId}) was refunded`);
    expect(stripHtml(refusal.text)).toContain(`/refund ${orderId} manual`);
    h.telegram.sendText(ADMIN_ID, `/code ${orderId} ABCDE-FGHIJ-KLMNO 1234`, { chatId: OPS_CHAT_ID });
    // The ledger is read when the admin confirms: the question gives way to the refusal.
    await confirmAsAdmin(h, "Send this code", OPS_CHAT_ID);
    await waitUntil(() => h.telegram.messages(OPS_CHAT_ID).filter((m) => stripHtml(m.text).includes("ledger shows its Stars payment")).length === 2, 10_000, "the second refusal");
    expect(statusOf(h, orderId)).toBe("needs_review");
    expect(getOrderEvents(h.shop.db, orderId).map((e) => e.cause)).not.toContain("admin_retry");
    expect(h.supplier.createdByReference.get(orderId)).toBe(suppliedBefore);
    expect(getOrder(h.shop.db, orderId)!.telegramChargeId).toBe(paid.chargeId);
  });
});

describe("recipient patterns in the checkout", () => {
  it("must match the whole of what the customer typed, whatever the catalog file wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-"));
    const catalog = JSON.parse(readFileSync("catalog.example.json", "utf8")) as { products: Array<Record<string, unknown> & { recipient?: { pattern: string } }> };
    catalog.products.find((p) => p["sku"] === "pubg-660-uc")!.recipient!.pattern = "[0-9]{8,12}";
    writeFileSync(join(dir, "catalog.json"), JSON.stringify(catalog));
    h = await startHarness({ env: { CATALOG_PATH: join(dir, "catalog.json") } });
    const c = h.customer(19_401);
    c.say("/start buy_pubg-660-uc");
    await c.expect("PUBG Mobile 660 UC");
    c.tap("Buy for");
    await c.expect("Send the player ID");
    c.say("id 5123456789, thanks");
    await c.expect('"id 5123456789, thanks" is not a valid player ID');
    c.say("5123456789");
    await c.expect("Please check your order");
  });
});

describe("catalog sync from the supplier", () => {
  const syncDeps = () => ({ db: h.shop.db, supplier: createHttpSupplier({ baseUrl: h.supplier.url, apiKey: SUPPLIER_KEY, timeoutMs: 2000 }), logger: h.shop.logger, now: Date.now });

  it.each([
    ["empty", []],
    ["cut off after three products", SIMULATOR_CATALOG.slice(0, 3)],
  ])("keeps the current stock when the supplier's catalog is %s, and tells ops", async (_what, catalog) => {
    h = await startHarness({ simulator: { catalog: structuredClone(catalog) } });
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, "/sync", { chatId: OPS_CHAT_ID });
    await opsMessage(h, "Catalog sync from the supplier needs a look");
    await opsMessage(h, "⚠️ Catalog not synced from the generic supplier: the supplier's catalog lists");
    const report = await syncFromSupplier(syncDeps(), { percent: 12 });
    expect(report.outOfStock).toEqual([]);
    expect(report.distrusted).toMatch(/taken as empty or cut off/);
    expect(getProduct(h.shop.db, "steam-20-usd")!.inStock).toBe(true);
    // The shop still sells.
    const c = h.customer(19_501);
    c.say("/start");
    const home = await c.expect("Pick a category");
    expect(home.buttons.flat().map((b) => b.text)).toContain("Gift cards (11)");
  });

  it("still hides what one supplier product going out of stock takes away", async () => {
    const catalog = structuredClone(SIMULATOR_CATALOG);
    h = await startHarness({ simulator: { catalog: catalog.filter((p) => p.sku !== "psn-25-usd") } });
    const report = await syncFromSupplier(syncDeps(), { percent: 12 });
    expect(report.distrusted).toBeUndefined();
    expect(report.outOfStock).toEqual(["psn-25-usd"]);
  });

  it("does not add a supplier product whose recipient pattern could backtrack catastrophically, and names it", async () => {
    const catalog = structuredClone(SIMULATOR_CATALOG);
    catalog.push({
      sku: "evil-topup", name: "Evil Top-up", kind: "topup", face_value: { amount: 100, currency: "USD" }, cost: { amount: 90, currency: "USD" },
      requires_pin: false, in_stock: true, recipient: { type: "player_id", pattern: "^([0-9]+)+$" },
    });
    h = await startHarness({ simulator: { catalog } });
    const report = await syncFromSupplier({ ...syncDeps(), alert: (text) => h.shop.pipeline.alerts.raise({ kind: "catalog_sync", text }) }, { percent: 12 });
    expect(report.refused).toEqual([{ sku: "evil-topup", reason: expect.stringMatching(/^recipient pattern could backtrack catastrophically/) }]);
    expect(getProduct(h.shop.db, "evil-topup")).toBeUndefined();
    await opsMessage(h, "evil-topup from the supplier's catalog was not added");
  });
});

describe("the customer comes back", () => {
  it("unblocking the bot redelivers their undelivered codes and tells the ops chat which ones", async () => {
    h = await startHarness();
    const c = h.customer(19_601);
    const first = await openOrder(h, c, ["/start buy_steam-20-usd"]);
    const second = await openOrder(h, c, ["/start buy_razer-gold-10-usd"]);
    h.telegram.setBlocked(c.id, true);
    await h.stripe.completeCheckout(first.sessionId);
    await h.stripe.completeCheckout(second.sessionId);
    await waitForStatus(h, first.orderId, "delivery_failed");
    await waitForStatus(h, second.orderId, "delivery_failed");
    await waitUntil(() => h.shop.db.$client.prepare<[number], { blocked_at: number | null }>("SELECT blocked_at FROM customers WHERE id = ?").get(c.id)?.blocked_at, 5000, "the customer marked blocked");

    h.telegram.setBlocked(c.id, false);
    await waitForStatus(h, first.orderId, "delivered");
    await waitForStatus(h, second.orderId, "delivered");
    for (const { orderId } of [first, second]) {
      await c.expect(h.supplier.orderByReference(orderId)!.items[0]!.code!);
      expect(getOrderEvents(h.shop.db, orderId).at(-1)).toMatchObject({ fromStatus: "delivery_failed", toStatus: "delivered", actor: "system:customer_back" });
    }
    const alert = await opsMessage(h, "Customers came back");
    await waitUntil(() => {
      const text = h.telegram.messages(OPS_CHAT_ID).filter((m) => m.text.includes("Customers came back")).map((m) => stripHtml(m.text)).join("\n");
      return text.includes(first.orderId) && text.includes(second.orderId);
    }, 5000, "both orders named in the ops chat");
    expect(alert).toBeDefined();
    expect(h.shop.db.$client.prepare<[number], { blocked_at: number | null }>("SELECT blocked_at FROM customers WHERE id = ?").get(c.id)?.blocked_at).toBeNull();
  });
});

describe("codes that expire", () => {
  it("show their expiry date, in the customer's language, in the delivery and in /orders", async () => {
    h = await startHarness({ simulator: { behaviours: { "steam-20-usd": { expiresAt: "2027-01-31T00:00:00Z" } } } });
    for (const [id, language, line] of [
      [19_701, "en", "Valid until: Jan 31, 2027"],
      [19_702, "ru", "Действует до: 31 янв. 2027 г."],
    ] as const) {
      const c = h.customer(id, language);
      const { orderId, sessionId } = await openOrder(h, c, ["/start buy_steam-20-usd"]);
      await h.stripe.completeCheckout(sessionId);
      const delivery = await c.expect(/How to redeem|Как активировать/);
      const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
      expect(stripHtml(delivery.text)).toContain(`${code}\n${line}`);
      await waitForStatus(h, orderId, "delivered");
      c.say("/orders");
      const list = await h.telegram.waitFor(c.id, (m) => m.buttons.flat().some((b) => b.callback_data === `o:${orderId}`));
      const before = h.telegram.version;
      h.telegram.tap(c.id, list.message_id, `o:${orderId}`);
      const view = await h.telegram.waitFor(c.id, (m) => m.version > before && stripHtml(m.text).includes(line));
      expect(stripHtml(view.text)).toContain(code);
    }
  });
});
