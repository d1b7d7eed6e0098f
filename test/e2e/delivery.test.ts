// Deliveries Telegram would refuse as one message (many long codes, a supplier's long instructions), Telegram
// refusing a message for good, and Telegram out of reach for longer than the delivery's attempts.
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../src/lib/clock.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { OPS_CHAT_ID, STEAM_20, opsMessage, openOrder, paidOrder, startHarness, waitForStatus, waitUntil, type Harness, type HarnessOptions } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function start(options: HarnessOptions = {}) {
  h = await startHarness({ ...options, shop: { pipeline: { backoffBaseMs: 20, backoffMaxMs: 200 }, ...options.shop } });
  return h;
}

const botMessages = (chatId: number): ChatMessage[] => h.telegram.messages(chatId).filter((m) => m.from === "bot");
const causes = (orderId: string) => getOrderEvents(h.shop.db, orderId).map((e) => `${e.toStatus}:${e.cause}`);

/** Opens /orders, then the order's screen; returns it. */
async function openOrderScreen(customerId: number, orderId: string): Promise<ChatMessage> {
  const customer = h.customer(customerId);
  const since = h.telegram.version;
  customer.say("/orders");
  await h.telegram.waitFor(customerId, (m) => m.version > since && stripHtml(m.text).includes("Your orders"));
  const tapped = h.telegram.version;
  customer.tap(orderId);
  return h.telegram.waitFor(customerId, (m) => m.version > tapped && stripHtml(m.text).includes(`Order ${orderId}`) && stripHtml(m.text).includes("Status"));
}

describe("a delivery too long for one message", () => {
  it("goes out as several messages, no code cut in two; /orders sends them again", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { codeLength: 450 } } } });
    h.shop.db.$client.prepare("UPDATE products SET max_quantity = 10 WHERE sku = 'steam-20-usd'").run();
    const customer = h.customer(4001);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_20, 10);
    expect(getOrder(h.shop.db, orderId)!.quantity).toBe(10);
    await h.stripe.completeCheckout(sessionId);
    await waitForStatus(h, orderId, "delivered");
    const codes = h.supplier.orderByReference(orderId)!.items.map((item) => item.code!);
    expect(codes).toHaveLength(10);
    expect(codes[0]).toHaveLength(450);
    const delivery = botMessages(4001).filter((m) => codes.some((code) => m.text.includes(code)));
    expect(delivery).toHaveLength(2);
    for (const message of delivery) expect(stripHtml(message.text).length).toBeLessThanOrEqual(4096);
    // Every code whole, in exactly one message, copyable.
    for (const code of codes) expect(delivery.filter((m) => m.text.includes(`<code>${code}</code>`))).toHaveLength(1);
    expect(stripHtml(delivery[1]!.text)).toMatch(new RegExp(`^🎁 Order ${orderId}, continued:`));
    expect(stripHtml(delivery[1]!.text)).toContain("How to redeem:");
    expect(causes(orderId)).toContain("delivered:sent");

    // The order's screen cannot hold them: it says so, and its button brings them again.
    const screen = await openOrderScreen(4001, orderId);
    expect(stripHtml(screen.text)).toContain("Your codes do not fit on this screen");
    const before = h.telegram.version;
    customer.tap("Send my codes again");
    await waitUntil(() => botMessages(4001).filter((m) => m.version > before && codes.some((code) => m.text.includes(code))).length === 2);
  });

  it("goes out as a .txt file when a few messages would not hold it (a supplier's long instructions)", async () => {
    await start();
    // Instructions as a supplier's catalog may bring them: longer than three messages.
    const instructions = Array.from({ length: 700 }, (_, i) => `Step ${i + 1}: follow the redeem page.`).join(" ");
    // The English text only (as a supplier sync brings it): no translations to prefer over it.
    h.shop.db.$client.prepare("UPDATE products SET instructions = ?, details = NULL WHERE sku = 'steam-20-usd'").run(instructions);
    const orderId = await paidOrder(h, 4002, STEAM_20);
    await waitForStatus(h, orderId, "delivered");
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    const sent = botMessages(4002).filter((m) => m.document);
    expect(sent).toHaveLength(1);
    const file = sent[0]!;
    expect(file.document!.file_name).toBe(`${orderId}-codes.txt`);
    expect(file.document!.content).toContain(`Code: ${code}`);
    expect(file.document!.content).toContain("Step 700: follow the redeem page.");
    expect(stripHtml(file.text).length).toBeLessThanOrEqual(1024);
    expect(stripHtml(file.text)).toContain("Your code and how to redeem it are in this file");
    expect(botMessages(4002).some((m) => !m.document && m.text.includes(code))).toBe(false);
    expect(getOrderEvents(h.shop.db, orderId).find((e) => e.cause === "sent")!.detail).toMatchObject({ as: "document" });

    await openOrderScreen(4002, orderId);
    h.customer(4002).tap("Send my codes again");
    await waitUntil(() => botMessages(4002).filter((m) => m.document).length === 2);
  });
});

describe("Telegram refusing or out of reach", () => {
  it("a message Telegram refuses (400) is not sent again and again: delivery_failed at once, ops told Telegram's reason", async () => {
    await start();
    const customer = h.customer(4003);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_20);
    h.telegram.failNext("sendMessage", 1, { code: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    await h.stripe.completeCheckout(sessionId);
    await waitForStatus(h, orderId, "delivery_failed");
    expect(causes(orderId).at(-1)).toBe("delivery_failed:telegram_refused");
    const alert = await opsMessage(h, "could not be delivered");
    expect(stripHtml(alert.text)).toContain(`${orderId}: Telegram refused: Bad Request: can't parse entities`);
    // Not a blocked customer: the chat is fine, the message was not.
    expect(h.shop.db.$client.prepare("SELECT blocked_at FROM customers WHERE id = 4003").get()).toEqual({ blocked_at: null });
  });

  it("gives up after DELIVERY_MAX_ATTEMPTS when Telegram stays out of reach: delivery_failed, code kept, ops told", async () => {
    const clock = manualClock(Date.now());
    await start({ env: { DELIVERY_MAX_ATTEMPTS: "3" }, shop: { now: clock.now } });
    const customer = h.customer(4004);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_20);
    // Flood control longer than auto-retry waits (120 s): each attempt fails at once and is rescheduled.
    h.telegram.failNext("sendMessage", 3, { code: 429, description: "Too Many Requests: retry after 300", retry_after: 300 });
    await h.stripe.completeCheckout(sessionId);
    for (let attempt = 1; attempt < 3; attempt++) {
      await waitUntil(() => getOrder(h.shop.db, orderId)?.attempts === attempt, 10_000, `attempt ${attempt}`);
      const row = getOrder(h.shop.db, orderId)!;
      expect(row.nextAttemptAt! - clock.now()).toBeGreaterThanOrEqual(300_000);
      clock.advance(301_000);
      h.shop.worker.wake();
    }
    await waitForStatus(h, orderId, "delivery_failed");
    expect(causes(orderId).at(-1)).toBe("delivery_failed:delivery_attempts_exhausted");
    const alert = await opsMessage(h, "could not be delivered");
    expect(stripHtml(alert.text)).toContain(`${orderId}: 3 delivery attempts failed; last: Too Many Requests: retry after 300`);
    // The code is kept: the customer finds it in /orders.
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    const screen = await openOrderScreen(4004, orderId);
    expect(screen.text).toContain(code);
    expect(OPS_CHAT_ID).toBeLessThan(0);
  });
});
