// The customer's side, read like the chat it checks: browsing, the checkout conversation, stale buttons,
// a restart mid-checkout, order history, languages and the abuse limits.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { products } from "../../src/db/schema.js";
import { getOrder } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { RAZER_10, STEAM_20, openOrder, payButton, startHarness, waitForStatus, waitUntil, withButton, type Harness } from "../helpers/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ shop: { pipeline: { backoffBaseMs: 20 } } });
});
afterEach(async () => {
  await h.close();
});

const orderCount = () => (h.shop.db.$client.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
const lastAnswer = () => [...h.telegram.callbackAnswers.values()].at(-1);

describe("browsing", () => {
  it("goes category → brand → denomination and back, editing one message in place", async () => {
    const c = h.customer(4001);
    c.say("/start");
    const home = await c.expect("Pick a category");
    c.tap("Gift cards");
    await c.expect("Gift cards: pick a product");
    c.tap("Steam Wallet ·");
    await c.expect("Steam Wallet: pick an amount");
    c.tap("Steam Wallet 50 USD");
    const card = await c.expect("Price: $53.99");
    expect(stripHtml(card.text)).toContain("Value: $50.00");
    c.tap("Back");
    await c.expect("Steam Wallet: pick an amount");
    c.tap("Back");
    await c.expect("Gift cards: pick a product");
    c.tap("Back");
    await c.expect("Pick a category");
    const botMessages = c.messages().filter((m) => m.from === "bot");
    expect(botMessages).toHaveLength(1);
    expect(botMessages[0]!.message_id).toBe(home.message_id);
    expect(botMessages[0]!.edited).toBe(true);
  });

  it("pages a long list of denominations", async () => {
    const c = h.customer(4002);
    c.say("/start");
    await withButton(h, c.id, "Game top-ups");
    c.tap("Game top-ups");
    await withButton(h, c.id, "Mobile Legends ·");
    c.tap("Mobile Legends ·");
    const first = await c.expect("Mobile Legends: pick an amount");
    expect(first.buttons.flat().map((b) => b.text)).toContain("1/2");
    c.tap("Next");
    await h.telegram.waitFor(c.id, (m) => m.buttons.flat().some((b) => b.text === "2/2"));
    expect(c.lastBotMessage()!.buttons.flat().some((b) => b.text.includes("878 Diamonds"))).toBe(true);
    c.tap("Prev");
    await h.telegram.waitFor(c.id, (m) => m.buttons.flat().some((b) => b.text === "1/2"));
  });

  it("answers a tap on a product that was disabled since, and shows the current catalog", async () => {
    const c = h.customer(4003);
    c.say("/start buy_psn-25-usd");
    await c.expect("PlayStation Store 25 USD");
    h.shop.db.update(products).set({ enabled: false }).where(eq(products.sku, "psn-25-usd")).run();
    c.tap("Buy for");
    await waitUntil(() => lastAnswer()?.text?.includes("not available"));
    await c.expect("Pick a category");
    expect(orderCount()).toBe(0);
  });

  it("answers a tap on a price that changed since, and shows the new price", async () => {
    const c = h.customer(4004);
    c.say("/start buy_psn-25-usd");
    await c.expect("Price: $27.49");
    h.shop.db.update(products).set({ priceAmount: 2599 }).where(eq(products.sku, "psn-25-usd")).run();
    c.tap("Buy for $27.49");
    await waitUntil(() => lastAnswer()?.text?.includes("price has changed"));
    await c.expect("Price: $25.99");
    expect(orderCount()).toBe(0);
  });

  it("answers every tap, even on nonsense or long-gone buttons", async () => {
    const c = h.customer(4005);
    c.say("/start");
    const home = await c.expect("Pick a category");
    for (const data of ["p:no-such-sku", "c:gone:0", "g:x:y:0", "zzz", "o:ORD-00000000", "x:ORD-00000000", "ok", "q:3"]) {
      const id = h.telegram.tap(c.id, home.message_id, data);
      await waitUntil(() => h.telegram.callbackAnswers.has(id), 5000, `an answer to ${data}`);
    }
  });
});

describe("the checkout conversation", () => {
  it("asks a top-up's player id, explains a wrong one, takes the corrected one, and delivers after payment", async () => {
    const c = h.customer(4101);
    c.say("/start buy_mlbb-86-diamonds");
    await c.expect("Mobile Legends 86 Diamonds");
    c.tap("Buy for");
    await c.expect("Send the player ID");
    c.say("abc123");
    await c.expect('"abc123" is not a valid player ID');
    c.say("12345678(2345)");
    const confirm = await c.expect("Please check your order");
    expect(stripHtml(confirm.text)).toContain("player ID: 12345678(2345)");
    expect(stripHtml(confirm.text)).toContain("Total: $1.99");
    c.tap("Confirm");
    const checkout = await c.expect(/Order ORD-\w{8}/);
    expect(stripHtml(checkout.text)).toContain("valid for 30 minutes");
    const orderId = /ORD-\w{8}/.exec(stripHtml(checkout.text))![0];
    expect(getOrder(h.shop.db, orderId)!.recipient).toBe("12345678(2345)");
    await h.stripe.completeCheckout(payButton(checkout).sessionId);
    await c.expect("Payment received");
    const delivered = await c.expect("sent to 12345678(2345)");
    expect(stripHtml(delivered.text)).toMatch(/Operator reference: OP-/);
    await waitForStatus(h, orderId, "delivered");
  });

  it("normalizes a phone number typed with spaces and dashes", async () => {
    const c = h.customer(4102);
    c.say("/start buy_airtime-mx-100-mxn");
    await c.expect("Telcel Mexico 100 MXN");
    c.tap("Buy for");
    await c.expect("international form");
    c.say("55 1234 5678");
    await c.expect("is not a phone number in international form");
    c.say("+52 155-1234-5678");
    await c.expect("+5215512345678");
  });

  it("cancels in the middle, and nothing is ordered", async () => {
    const c = h.customer(4103);
    c.say("/start buy_pubg-660-uc");
    await c.expect("PUBG Mobile 660 UC");
    c.tap("Buy for");
    await c.expect("Send the player ID");
    c.tap("Cancel");
    await c.expect("Checkout cancelled");
    c.say("5123456789");
    await c.expect("This bot sells gift cards"); // plain text outside a checkout gets the help
    expect(orderCount()).toBe(0);
  });

  it("a second tap on Confirm or on a quantity never makes a second order", async () => {
    const c = h.customer(4104);
    c.say("/start buy_steam-10-usd");
    await c.expect("Steam Wallet 10 USD");
    c.tap("Buy for");
    const ask = await c.expect("how many codes?");
    h.telegram.tap(c.id, ask.message_id, "q:2");
    h.telegram.tap(c.id, ask.message_id, "q:2");
    const checkout = await c.expect(/Order ORD-\w{8}/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(orderCount()).toBe(1);
    expect(stripHtml(checkout.text)).toContain("× 2");
    expect(stripHtml(checkout.text)).toContain("$22.58");
    // Buying the same thing again while the first is unpaid gives the same order and link.
    c.tap("Cancel order"); // not yet: first check reuse
  });

  it("reuses the open order when the customer buys the same thing again", async () => {
    const c = h.customer(4105);
    const first = await openOrder(h, c, STEAM_20);
    const second = await openOrder(h, c, STEAM_20);
    expect(second).toEqual(first);
    expect(orderCount()).toBe(1);
  });

  it("lets the customer cancel an unpaid order, closing its Checkout Session", async () => {
    const c = h.customer(4106);
    const { orderId, sessionId } = await openOrder(h, c, STEAM_20);
    c.tap("Cancel order");
    await c.expect(`Order ${orderId} is cancelled`);
    expect(getOrder(h.shop.db, orderId)!.status).toBe("cancelled");
    expect(h.stripe.sessions.get(sessionId)!.status).toBe("expired");
  });

  it("resumes a checkout after a restart in the middle", async () => {
    const c = h.customer(4107);
    c.say("/start buy_mlbb-86-diamonds");
    await c.expect("Mobile Legends 86 Diamonds");
    c.tap("Buy for");
    await c.expect("Send the player ID");
    await h.restart();
    c.say("87654321");
    await c.expect("Please check your order");
    c.tap("Confirm");
    await c.expect(/Order ORD-\w{8}/);
    expect(orderCount()).toBe(1);
  });
});

describe("orders, help and support", () => {
  it("/orders lists orders newest first and shows a delivered code again from the encrypted store", async () => {
    const c = h.customer(4201);
    const { orderId, sessionId } = await openOrder(h, c, STEAM_20);
    await h.stripe.completeCheckout(sessionId);
    await waitForStatus(h, orderId, "delivered");
    await openOrder(h, c, RAZER_10);
    c.say("/orders");
    const list = await c.expect("Your orders, newest first");
    const labels = list.buttons.flat().map((b) => b.text);
    expect(labels[0]).toContain("Razer Gold");
    expect(labels[0]).toContain("waiting for payment");
    expect(labels[1]).toContain(`${orderId} · Steam Wallet 20 USD · $21.99 · delivered`);
    const requestsBefore = h.supplier.requests.length;
    c.tap(orderId);
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    const view = await h.telegram.waitFor(c.id, (m) => m.text.includes("Status: <b>delivered") && m.text.includes(code));
    expect(stripHtml(view.text)).toContain("How to redeem");
    expect(h.supplier.requests.length).toBe(requestsBefore);
  });

  it("/support gives the contact and the last order id; /help lists the commands; the menu is registered", async () => {
    const c = h.customer(4202);
    c.say("/support");
    await c.expect("Need help? Write to @shop_support.");
    const { orderId } = await openOrder(h, c, STEAM_20);
    c.say("/support");
    await c.expect(`Please quote your last order: ${orderId}`);
    c.say("/help");
    await c.expect("/orders: your orders and codes");
    await waitUntil(() => h.telegram.commands.size === 6);
    expect((h.telegram.commands.get("default") as Array<{ command: string }>).map((x) => x.command)).toEqual(["start", "orders", "help", "support", "cancel", "language"]);
    expect((h.telegram.commands.get("ru") as Array<{ description: string }>)[0]!.description).toBe("Каталог");
    expect((h.telegram.commands.get("pt") as Array<{ description: string }>)[1]!.description).toBe("Meus pedidos e códigos");
    expect((h.telegram.commands.get("tr") as Array<{ description: string }>)[5]!.description).toBe("Dili değiştir");
  });

  it("refuses a fourth unpaid order and says what to do", async () => {
    const c = h.customer(4203);
    for (const sku of ["steam-5-usd", "psn-25-usd", "xbox-15-usd"]) await openOrder(h, c, [`/start buy_${sku}`]);
    expect(orderCount()).toBe(3);
    const before = h.telegram.version;
    c.say("/start buy_google-play-10-eur");
    await h.telegram.waitFor(c.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
    c.tap(/^🛒/);
    const refusal = await c.expect("You have 3 unpaid orders open");
    expect(stripHtml(refusal.text)).toContain("Pay or cancel one of them (/orders)");
    expect(refusal.buttons.flat()[0]!.text).toContain("My orders");
    expect(orderCount()).toBe(3);
  });
});

describe("the hourly limit", () => {
  it("refuses more orders than MAX_ORDERS_PER_HOUR and says what to do", async () => {
    await h.close();
    h = await startHarness({ env: { MAX_ORDERS_PER_HOUR: "2", MAX_UNPAID_ORDERS: "10" } });
    const c = h.customer(4204);
    await openOrder(h, c, ["/start buy_psn-25-usd"]);
    await openOrder(h, c, ["/start buy_xbox-15-usd"]);
    const before = h.telegram.version;
    c.say("/start buy_google-play-10-eur");
    await h.telegram.waitFor(c.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
    c.tap(/^🛒/);
    await c.expect("many orders in the last hour. Please try again later, or write to @shop_support");
    expect(orderCount()).toBe(2);
  });
});

describe("languages", () => {
  it("speaks Russian to a Russian customer, the delivery message included, and money in Russian form", async () => {
    const c = h.customer(4301, "ru");
    c.say("/start");
    await c.expect("Добро пожаловать");
    const { orderId, sessionId } = await openOrder(h, c, ["Подарочные карты", "Steam Wallet ·", "Steam Wallet 20 USD"]);
    const checkout = c.lastBotMessage()!;
    expect(stripHtml(checkout.text)).toMatch(/Итого: 21,99\s\$/);
    await h.stripe.completeCheckout(sessionId);
    await c.expect("Оплата заказа");
    const delivery = await c.expect("Как активировать");
    expect(stripHtml(delivery.text)).toContain(`Заказ ${orderId}`);
    expect(h.stripe.sessions.get(sessionId)!).toBeDefined();
  });

  it("switches language with /language and keeps it", async () => {
    const c = h.customer(4302, "en");
    c.say("/language");
    await c.expect("Choose your language");
    c.tap("Русский");
    await c.expect("теперь я говорю с вами по-русски");
    c.say("/help");
    await c.expect("Этот бот продаёт");
    expect((h.shop.db.$client.prepare("SELECT language FROM customers WHERE id = 4302").get() as { language: string }).language).toBe("ru");
  });
});

describe("a customer who blocked the bot", () => {
  it("back from the checkout page after blocking it: no error logged, the customer marked blocked, the code kept for when they are back", async () => {
    const c = h.customer(4190);
    const { orderId, sessionId } = await openOrder(h, c, STEAM_20);
    h.telegram.blocked.add(c.id);
    await h.stripe.completeCheckout(sessionId);
    c.say(`/start paid_${orderId}`); // Checkout's success_url: the shop's answer is refused (403)
    await waitUntil(() => h.logs.some((line) => line.includes("the customer blocked the bot; the answer was not sent")), 10_000, "the info line");
    expect(h.logs.filter((line) => line.includes('"update failed"'))).toEqual([]);
    const row = h.shop.db.$client.prepare("SELECT blocked_at FROM customers WHERE id = ?").get(c.id) as { blocked_at: number | null };
    expect(row.blocked_at).not.toBeNull();
    await waitForStatus(h, orderId, "delivery_failed");
  });
});
