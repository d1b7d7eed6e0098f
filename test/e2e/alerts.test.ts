// Alerts to the ops chat as an operator meets them: a reason longer than a Telegram message, an ops group that
// Telegram upgraded to a supergroup, and the shop killed while an alert was waiting to go out.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeStripe } from "../../src/sandbox/fake-stripe.js";
import { startFakeTelegram, stripHtml, type FakeTelegram } from "../../src/sandbox/fake-telegram.js";
import { startSupplierSimulator } from "../../src/supplier/simulator.js";
import { fakeEnv } from "../helpers/env.js";
import { OPS_CHAT_ID, RELOADLY_CLIENT_ID, RELOADLY_CLIENT_SECRET, STEAM_20, STEAM_50, STRIPE_SECRET, SUPPLIER_KEY, SUPPLIER_SECRET, TOKEN, reloadlyEnv, openCheckoutIn, openOrder, opsMessage, paidOrder, startHarness, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";
import { startReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import { freePort, spawnShop, type ShopProcess } from "../helpers/shop-process.js";

let h: Harness | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const errorLines = (logs: string[]) => logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level >= 50);

describe("alerts that Telegram would not take as they are", () => {
  it("a reason longer than a message is cut, and neither it nor the alerts after it are held up", async () => {
    h = await startHarness({
      shop: { pipeline: { backoffBaseMs: 20, backoffMaxMs: 100 } },
      // A supplier whose error code is 5,000 characters long: it ends up in the review's reason.
      simulator: { behaviours: { "steam-20-usd": { outcome: "error", status: 503, code: "E".repeat(5_000) } } },
    });
    const long = await paidOrder(h, 5001, STEAM_20);
    await waitForStatus(h, long, "needs_review");
    const alert = await opsMessage(h, long);
    expect(stripHtml(alert.text).length).toBeLessThanOrEqual(4096);
    expect(stripHtml(alert.text)).toMatch(/3 attempts failed; last: E+…/);
    // Another kind afterwards: a customer who blocked the bot.
    const customer = h.customer(5002);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_50);
    h.telegram.blocked.add(5002);
    await h.stripe.completeCheckout(sessionId);
    await opsMessage(h, orderId);
    expect(h.telegram.calls.filter((c) => c.method === "sendMessage" && c.status === 400)).toHaveLength(0);
  });

  it("an ops group upgraded to a supergroup: one error line naming the id for OPS_CHAT_ID, and the alerts reach the new chat", async () => {
    h = await startHarness({ simulator: { behaviours: { "steam-20-usd": { outcome: "empty_code" } } } });
    const upgraded = h.telegram.upgradeToSupergroup(OPS_CHAT_ID);
    const orderId = await paidOrder(h, 5003, STEAM_20);
    await waitForStatus(h, orderId, "needs_review");
    const alert = await h.telegram.waitFor(upgraded, (m) => stripHtml(m.text).includes(orderId));
    expect(stripHtml(alert.text)).toContain("Orders need review");
    const errors = errorLines(h.logs).filter((line) => line.msg.includes("OPS_CHAT_ID"));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toContain(`set OPS_CHAT_ID=${upgraded}`);
  });
});

describe("durable alerts", () => {
  it("an alert waiting when the shop is killed (SIGKILL) reaches the ops chat after the restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shop-alerts-"));
    const telegram: FakeTelegram = await startFakeTelegram({ token: TOKEN });
    telegram.addGroup(OPS_CHAT_ID);
    const stripe = await startFakeStripe({ webhookSecret: STRIPE_SECRET });
    const supplier = await startSupplierSimulator({ apiKey: SUPPLIER_KEY, webhookSecret: SUPPLIER_SECRET });
    const reloadly = await startReloadlySimulator({ clientId: RELOADLY_CLIENT_ID, clientSecret: RELOADLY_CLIENT_SECRET });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close()]).then(() => undefined));
    const port = await freePort();
    const dbPath = join(dir, "shop.sqlite");
    const env = {
      ...process.env,
      ...fakeEnv({ telegramRoot: telegram.apiRoot, stripeUrl: stripe.url, supplierUrl: supplier.url }, { DATABASE_PATH: dbPath, HTTP_PORT: String(port), CATALOG_PATH: join(process.cwd(), "catalog.example.json"), ...reloadlyEnv(reloadly) }),
    };
    stripe.setWebhookUrl(`http://127.0.0.1:${port}/webhooks/stripe`);
    let shop: ShopProcess = await spawnShop(env, { cwd: dir });
    cleanups.push(() => shop.kill("SIGKILL"));

    // A customer buys, then blocks the bot: the delivery fails for good and an alert is raised. The ops chat
    // refuses the bot for now (403), so the alert waits.
    const customer = 5101;
    const { orderId, sessionId } = await openCheckoutIn(telegram, customer);
    telegram.blocked.add(customer);
    telegram.blocked.add(OPS_CHAT_ID);
    await stripe.completeCheckout(sessionId);
    const db = new Database(dbPath, { readonly: true });
    cleanups.push(() => void db.close());
    await waitUntil(() => (db.prepare("SELECT status FROM orders WHERE id = ?").get(orderId) as { status: string } | undefined)?.status === "delivery_failed", 15_000, "delivery_failed");
    await waitUntil(() => telegram.calls.some((c) => c.method === "sendMessage" && Number(c.params["chat_id"]) === OPS_CHAT_ID && c.status === 403), 15_000, "the alert to be tried");

    await shop.kill("SIGKILL");
    telegram.blocked.delete(OPS_CHAT_ID);
    shop = await spawnShop(env, { cwd: dir });
    const alert = await telegram.waitFor(OPS_CHAT_ID, (m) => stripHtml(m.text).includes(orderId), 15_000);
    expect(stripHtml(alert.text)).toContain("Codes could not be delivered in Telegram");
    expect(stripHtml(alert.text)).toContain("Forbidden: bot was blocked by the user");
  }, 60_000);
});
