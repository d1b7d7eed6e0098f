// The operator's console, sales side, through the real bot against the fake Bot API: /help, /order for an unknown id,
// /pause and /resume (what customers see, in their language; a paid order still delivered; after a restart; from the
// failure-rate alert), /products and /product (cost, margin, a price asked first and refused at or below cost, kept
// over the catalog file across a restart, a synced product enabled, the Stars price), the cost-above-price alert;
// and a stranger, for whom none of it exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_HELP_COMMANDS } from "../../src/bot/admin-help.js";
import { getProduct } from "../../src/catalog/catalog.js";
import { pauseOf } from "../../src/catalog/pause.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { SIMULATOR_CATALOG } from "../../src/supplier/simulator-catalog.js";
import {
  ADMIN_ID,
  OPS_CHAT_ID,
  STEAM_20,
  askBot,
  buttonData,
  confirmAsAdmin,
  openOrder,
  opsMessage,
  startHarness,
  tapAndWait,
  waitForStatus,
  type Harness,
} from "../helpers/harness.js";

const STRANGER = 666;
const OPS = { chatId: OPS_CHAT_ID };
let h: Harness;

const catalog = structuredClone(SIMULATOR_CATALOG);
catalog.push({
  sku: "netflix-25-usd", name: "Netflix 25 USD", kind: "code", face_value: { amount: 2500, currency: "USD" },
  cost: { amount: 2300, currency: "USD" }, requires_pin: false, in_stock: true, instructions: "netflix.com/redeem",
});
// The supplier charges more for Steam 10 than the catalog file sells it for (11.29).
catalog.find((p) => p.sku === "steam-10-usd")!.cost.amount = 1200;

beforeAll(async () => {
  h = await startHarness({ simulator: { catalog } });
  h.customer(ADMIN_ID);
  h.customer(STRANGER);
});
afterAll(async () => {
  await h.close();
});

/** A customer opens a product's card by its deep link; returns the card. */
async function card(customerId: number, sku: string, language = "en"): Promise<ChatMessage> {
  h.customer(customerId, language);
  return askBot(h, customerId, `/start buy_${sku}`, /./);
}

const hasBuy = (message: ChatMessage) => message.buttons.flat().some((b) => b.text.startsWith("🛒"));

describe("/help and /order", () => {
  it("/help in the ops chat lists every admin command, one line each", async () => {
    const help = stripHtml((await askBot(h, ADMIN_ID, "/help", "Admin commands", OPS)).text);
    for (const command of ADMIN_HELP_COMMANDS) expect(help).toMatch(new RegExp(`^/${command}\\b.* — `, "m"));
    expect(help).toContain("/retry <id> | all");
  });

  it("/help from a customer keeps the customer's help", async () => {
    h.customer(7100);
    const help = await askBot(h, 7100, "/help", /./);
    expect(stripHtml(help.text)).not.toContain("Admin commands");
    expect(stripHtml(help.text)).toContain("/orders");
    expect(stripHtml(help.text)).not.toContain("/email"); // this shop sends no email (no SMTP_URL)
  });

  it("/order with an unknown but well-formed id says it was not found", async () => {
    await askBot(h, ADMIN_ID, "/order ORD-ZZZZZZZZ", "Order ORD-ZZZZZZZZ was not found.", OPS);
  });
});

describe("/pause and /resume", () => {
  it("pauses the whole shop: back soon in the customer's language instead of Buy; a paid order in flight is delivered; /resume sells again", async () => {
    const buyer = h.customer(7001);
    const { orderId, sessionId } = await openOrder(h, buyer, STEAM_20);
    const before = await card(7003, "psn-25-usd");
    expect(hasBuy(before)).toBe(true);

    await askBot(h, ADMIN_ID, "/pause supplier trouble", "Sales paused for the whole shop (supplier trouble)", OPS);

    const ru = await card(7002, "steam-20-usd", "ru");
    expect(stripHtml(ru.text)).toContain("Продажи ненадолго приостановлены");
    expect(hasBuy(ru)).toBe(false);
    const home = await askBot(h, 7002, "/start", "Продажи ненадолго приостановлены");
    expect(home.buttons.flat().length).toBeGreaterThan(1);
    // A Buy button from before the pause: refused politely, nothing opened.
    const answer = await tapAndWait(h, 7003, before, buttonData(before, "🛒"));
    expect(answer.text).toContain("Sales are paused for a short while");
    expect(h.shop.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE customer_id = 7003").get()).toEqual({ n: 0 });

    // Paid while paused (the customer had the order already): delivered as usual.
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "delivered");

    await askBot(h, ADMIN_ID, "/resume", "Sales resumed for the whole shop", OPS);
    expect(hasBuy(await card(7002, "steam-20-usd", "ru"))).toBe(true);
  });

  it("pauses one product only, and the pause survives a restart", async () => {
    await askBot(h, ADMIN_ID, "/pause psn-25-usd out of codes", "Sales paused for psn-25-usd (out of codes)", OPS);
    expect(hasBuy(await card(7004, "psn-25-usd"))).toBe(false);
    expect(hasBuy(await card(7004, "steam-20-usd"))).toBe(true);
    await h.restart();
    const after = await card(7007, "psn-25-usd", "es");
    expect(stripHtml(after.text)).toContain("Las ventas están en pausa");
    expect(hasBuy(after)).toBe(false);
    await askBot(h, ADMIN_ID, "/resume psn-25-usd", "Sales resumed for psn-25-usd", OPS);
    expect(hasBuy(await card(7004, "psn-25-usd"))).toBe(true);
  });

  it("refuses a mistyped SKU instead of pausing the whole shop; a capitalised SKU finds its product", async () => {
    await askBot(h, ADMIN_ID, "/pause steam-20usd restock", "No product steam-20usd: nothing was paused", OPS);
    expect(pauseOf(h.shop.db, "steam-20-usd")).toBeUndefined();
    expect(pauseOf(h.shop.db, "psn-25-usd")).toBeUndefined();
    await askBot(h, ADMIN_ID, "/pause PSN-25-USD", "Sales paused for psn-25-usd.", OPS);
    expect(pauseOf(h.shop.db, "steam-20-usd")).toBeUndefined();
    await askBot(h, ADMIN_ID, "/resume Psn-25-Usd", "Sales resumed for psn-25-usd", OPS);
    expect(pauseOf(h.shop.db, "psn-25-usd")).toBeUndefined();
  });

  it("the failure-rate alert offers ⏸ Pause sales: it asks first, then pauses the whole shop", async () => {
    h.shop.pipeline.alerts.raise({ kind: "failure_rate", text: "3 of 10 orders failed at the supplier in the last 30 minutes" });
    const alert = await opsMessage(h, "Order failure rate is high");
    await tapAndWait(h, ADMIN_ID, alert, buttonData(alert, "⏸ Pause sales"));
    expect(pauseOf(h.shop.db, "steam-20-usd")).toBeUndefined();
    const question = await confirmAsAdmin(h, "Pause sales for the whole shop?", OPS_CHAT_ID);
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("Sales paused for the whole shop"));
    expect(pauseOf(h.shop.db, "steam-20-usd")).toMatchObject({ scope: "*", actor: `admin:${ADMIN_ID}` });
    await askBot(h, ADMIN_ID, "/resume", "Sales resumed", OPS);
  });
});

describe("/products and /product", () => {
  beforeAll(async () => {
    await askBot(h, ADMIN_ID, "/sync", "Catalog synced", OPS);
  });

  it("lists products with price, the supplier's cost, the margin, stock and on/off", async () => {
    const list = stripHtml((await askBot(h, ADMIN_ID, "/products steam", "Products matching", OPS)).text);
    expect(list).toMatch(/steam-20-usd Steam Wallet 20 USD\n\s+\$21\.99 · ⭐ 1,695 · cost \$18\.50 · margin 15\.9 % · 🟢 on/);
    expect(list).toMatch(/steam-10-usd[^\n]*\n[^\n]*cost \$12\.00 · margin -6\.3 % ⚠️/);
  });

  it("pages a long list", async () => {
    const first = await askBot(h, ADMIN_ID, "/products", /Products \(\d+, page 1\/\d\)/, OPS);
    await tapAndWait(h, ADMIN_ID, first, buttonData(first, "Next ➡️"));
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === first.message_id && /page 2\//.test(stripHtml(m.text)));
  });

  it("refuses a price at or below the supplier's cost", async () => {
    await askBot(h, ADMIN_ID, "/product steam-20-usd price 18.50", "at or below the supplier's cost ($18.50)", OPS);
    expect(getProduct(h.shop.db, "steam-20-usd")!.priceAmount).toBe(2199);
  });

  it("a confirmed price reaches customers and is kept over the catalog file across a restart", async () => {
    const question = await askBot(h, ADMIN_ID, "/product steam-20-usd price 24.99", "Change the price of steam-20-usd?", OPS);
    expect(stripHtml(question.text)).toContain("$21.99 → $24.99");
    expect(getProduct(h.shop.db, "steam-20-usd")!.priceAmount).toBe(2199);
    await confirmAsAdmin(h, "Change the price of steam-20-usd?", OPS_CHAT_ID);
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("now sells at $24.99"));
    expect(stripHtml((await card(7005, "steam-20-usd")).text)).toContain("$24.99");
    await h.restart();
    expect(getProduct(h.shop.db, "steam-20-usd")).toMatchObject({ priceAmount: 2499, adminPrice: 2499 });
    expect(stripHtml((await card(7005, "steam-20-usd")).text)).toContain("$24.99");
  });

  it("enables a product the supplier sync added (off until an admin turns it on)", async () => {
    expect(getProduct(h.shop.db, "netflix-25-usd")).toMatchObject({ enabled: false, priceSource: "markup" });
    const productCard = await askBot(h, ADMIN_ID, "/product netflix-25-usd", "Netflix 25 USD", OPS);
    expect(stripHtml(productCard.text)).toContain("For sale: ⚪️ off");
    const answer = await tapAndWait(h, ADMIN_ID, productCard, buttonData(productCard, "Turn on"));
    expect(answer.text).toContain("customers can buy it");
    expect(getProduct(h.shop.db, "netflix-25-usd")).toMatchObject({ enabled: true, adminEnabled: true });
    expect(hasBuy(await card(7006, "netflix-25-usd"))).toBe(true);
  });

  it("sets the Stars price from the card: a reply to the prompt, then the question", async () => {
    const productCard = await askBot(h, ADMIN_ID, "/product psn-25-usd", "PlayStation", OPS);
    await tapAndWait(h, ADMIN_ID, productCard, buttonData(productCard, "Stars price"));
    const prompt = await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.text.includes("new Stars price for psn-25-usd"));
    const question = await askBot(h, ADMIN_ID, "2000", "Change the Stars price of psn-25-usd?", { ...OPS, replyTo: prompt.message_id });
    expect(stripHtml(question.text)).toContain("⭐ 2,115 → ⭐ 2,000");
    await confirmAsAdmin(h, "Change the Stars price of psn-25-usd?", OPS_CHAT_ID);
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("now costs ⭐ 2,000"));
    expect(getProduct(h.shop.db, "psn-25-usd")).toMatchObject({ starsPrice: 2000, adminStarsPrice: 2000 });
  });

  it("the catalog sync tells ops when a supplier's cost rises above a price", async () => {
    const alert = await opsMessage(h, "A supplier's cost rose above the price");
    expect(stripHtml(alert.text)).toContain("steam-10-usd: the supplier's cost rose to $12.00, at or above its price $11.29");
  });
});

describe("for a stranger", () => {
  it.each(["/pause", "/resume", "/products", "/product steam-20-usd price 1.00", "/product netflix-25-usd off", "/promo list", "/export", "/broadcast", "/retry all"])(
    "%s gives no hint that it exists and changes nothing",
    async (command) => {
      const answer = await askBot(h, STRANGER, command, /./);
      expect(stripHtml(answer.text)).toBe("I don't know that command. /help lists what I can do.");
    },
  );

  it("/help gives a stranger the customer's help", async () => {
    const answer = await askBot(h, STRANGER, "/help", /./);
    expect(stripHtml(answer.text)).not.toContain("Admin commands");
  });

  it("a stranger's taps on console buttons change nothing", async () => {
    const productCard = await askBot(h, ADMIN_ID, "/product netflix-25-usd", "Netflix 25 USD", OPS);
    for (const data of ["ops:pause", buttonData(productCard, "Turn off"), buttonData(productCard, "Pause"), "ops:retry_all"]) {
      await tapAndWait(h, STRANGER, productCard, data);
    }
    expect(pauseOf(h.shop.db, "netflix-25-usd")).toBeUndefined();
    expect(getProduct(h.shop.db, "netflix-25-usd")!.enabled).toBe(true);
    expect(getProduct(h.shop.db, "steam-20-usd")!.priceAmount).toBe(2499);
    expect(h.telegram.messages(OPS_CHAT_ID).some((m) => m.from === "bot" && stripHtml(m.text).includes("Pause sales for the whole shop?") && m.message_id > productCard.message_id)).toBe(false);
  });
});
