// Promo codes end to end: an admin adds them (/promo add, asked first), a customer types one at checkout ("Have a
// promo code?"); the order's amount and the Stripe session's are the discounted ones and the payment check passes;
// a use is counted once, when the order is paid; max uses, expiry and scope are enforced; Stars lose the same share;
// /promo off; and a stranger can do none of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOrder } from "../../src/orders/repository.js";
import { getPromo } from "../../src/promo/codes.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { ADMIN_ID, OPS_CHAT_ID, askBot, buttonData, confirmAsAdmin, payButton, startHarness, tapAndWait, waitForStatus, type Customer, type Harness } from "../helpers/harness.js";

const OPS = { chatId: OPS_CHAT_ID };
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { PAYMENT_METHODS: "stripe,stars" } });
  h.customer(ADMIN_ID);
});
afterAll(async () => {
  await h.close();
});

async function addPromo(args: string): Promise<void> {
  const question = await askBot(h, ADMIN_ID, `/promo add ${args}`, "Add the promo code", OPS);
  await confirmAsAdmin(h, "Add the promo code", OPS_CHAT_ID);
  await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("is active"));
}

/** The customer opens a product's card, taps "Have a promo code?", and types codes until the bot answers the last. */
async function withPromo(c: Customer, sku: string, codes: string[], expected: string | RegExp): Promise<ChatMessage> {
  const card = await askBot(h, c.id, `/start buy_${sku}`, /./);
  await tapAndWait(h, c.id, card, buttonData(card, "🎟"));
  await h.telegram.waitFor(c.id, (m) => m.version > card.version && stripHtml(m.text).startsWith("🎟"));
  let answer: ChatMessage | undefined;
  for (const code of codes) answer = await askBot(h, c.id, code, /./);
  if (!(typeof expected === "string" ? stripHtml(answer!.text).includes(expected) : expected.test(stripHtml(answer!.text)))) {
    answer = await h.telegram.waitFor(c.id, (m) => m.version > answer!.version && (typeof expected === "string" ? stripHtml(m.text).includes(expected) : expected.test(stripHtml(m.text))));
  }
  return answer!;
}

/** After an accepted code: quantity 1 when asked, then the checkout summary with its Pay button. */
async function checkoutAfterPromo(c: Customer, accepted: ChatMessage): Promise<{ orderId: string; sessionId: string; summary: ChatMessage }> {
  const next = await h.telegram.waitFor(c.id, (m) => m.version > accepted.version && m.buttons.flat().some((b) => b.url || b.callback_data?.startsWith("q:")));
  if (next.buttons.flat().some((b) => b.callback_data === "q:1")) await tapAndWait(h, c.id, next, "q:1");
  const summary = await h.telegram.waitFor(c.id, (m) => m.version > accepted.version && /ORD-\w{8}/.test(m.text) && m.buttons.flat().some((b) => b.url));
  return { orderId: /ORD-\w{8}/.exec(stripHtml(summary.text))![0], sessionId: payButton(summary).sessionId, summary };
}

describe("promo codes", () => {
  it("/promo add asks first, with the terms; /promo list shows it", async () => {
    const question = await askBot(h, ADMIN_ID, "/promo add spring10 10% 2", "Add the promo code SPRING10?", OPS);
    expect(stripHtml(question.text)).toContain("10% off · 2 use(s) · no expiry · every product");
    expect(getPromo(h.shop.db, "SPRING10")).toBeUndefined();
    await confirmAsAdmin(h, "Add the promo code SPRING10?", OPS_CHAT_ID);
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("SPRING10 is active"));
    await askBot(h, ADMIN_ID, "/promo list", /SPRING10 · 10% off · 2 use\(s\).* · used 0\/2/, OPS);
  });

  it("a customer types a code at checkout: the order and the Stripe session carry the discounted amount, and the payment passes", async () => {
    const c = h.customer(8001);
    // A wrong code is refused and asked again; the right one in any case is taken.
    const accepted = await withPromo(c, "steam-20-usd", ["NOPE1", "spring10"], "SPRING10 applied: 10% off");
    expect(c.messages().some((m) => stripHtml(m.text).includes("doesn't exist or is no longer valid"))).toBe(true);
    const { orderId, sessionId, summary } = await checkoutAfterPromo(c, accepted);
    expect(stripHtml(summary.text)).toContain("Total: $19.80");
    expect(stripHtml(summary.text)).toContain("Promo code SPRING10 (was $21.99)");
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 1980, originalAmount: 2199, promoCode: "SPRING10", currency: "USD" });
    expect(h.stripe.sessions.get(sessionId)!.amount_total).toBe(1980);
    // Not used until paid.
    expect(getPromo(h.shop.db, "SPRING10")!.uses).toBe(0);
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "delivered");
    expect(getPromo(h.shop.db, "SPRING10")!.uses).toBe(1);
    // The same payment told again (Stripe retries its webhooks) counts nothing more.
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(getPromo(h.shop.db, "SPRING10")!.uses).toBe(1);
  });

  it("max uses: an open order holds a use; the next customer is refused; a paid one counts", async () => {
    const second = h.customer(8002);
    const { orderId, sessionId } = await checkoutAfterPromo(second, await withPromo(second, "steam-10-usd", ["SPRING10"], "applied"));
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 1017, originalAmount: 1129 });
    const third = h.customer(8003);
    await withPromo(third, "steam-10-usd", ["SPRING10"], "This promo code has been used up.");
    // The holder lost the Pay message and types the code again: they get their own order back, not "used up".
    const again = await checkoutAfterPromo(second, await withPromo(second, "steam-10-usd", ["SPRING10"], "applied"));
    expect(again.orderId).toBe(orderId);
    expect(again.sessionId).toBe(sessionId);
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "delivered");
    expect(getPromo(h.shop.db, "SPRING10")!.uses).toBe(2);
  });

  it("expiry and scope are enforced; an amount off is in the product's currency", async () => {
    await addPromo("PSNFIVE 5.00 USD 2099-12-31 psn-25-usd");
    const c = h.customer(8004, "ru");
    await withPromo(c, "steam-20-usd", ["PSNFIVE"], "Этот промокод не действует для этого товара.");
    const card = await askBot(h, c.id, "/start buy_psn-25-usd", /./);
    await tapAndWait(h, c.id, card, buttonData(card, "Есть промокод?"));
    const accepted = await askBot(h, c.id, "psnfive", "применён");
    const { orderId, sessionId } = await checkoutAfterPromo(c, accepted);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 2249, originalAmount: 2749 });
    expect(h.stripe.sessions.get(sessionId)!.amount_total).toBe(2249);

    // The day passes.
    h.shop.db.$client.prepare("UPDATE promo_codes SET expires_at = ? WHERE code = 'PSNFIVE'").run(Date.now() - 1000);
    await withPromo(h.customer(8005, "es"), "psn-25-usd", ["PSNFIVE"], "Este código promocional ha caducado.");
  });

  it("Stars: the order loses the same share; the invoice and the pre-checkout use the discounted Stars", async () => {
    await addPromo("STARS20 20%");
    const c = h.customer(8006);
    const { orderId, summary } = await checkoutAfterPromo(c, await withPromo(c, "psn-25-usd", ["STARS20"], "applied"));
    // 27.49 − 20 % = 22.00 by card; 2115 Stars × 2200 / 2749 = 1692.6 → 1693 Stars.
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 2200, originalAmount: 2749 });
    const before = h.telegram.version;
    await tapAndWait(h, c.id, summary, buttonData(summary, "⭐ Pay 1,693 Stars"));
    const invoice = await h.telegram.waitFor(c.id, (m) => m.version > before && Boolean(m.invoice));
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 1693, currency: "XTR", originalAmount: 2115, paymentMethod: "stars" });
    const paid = await h.telegram.payInvoice(c.id, invoice.message_id);
    expect(paid.ok).toBe(true);
    await waitForStatus(h, orderId, "delivered");
    expect(getPromo(h.shop.db, "STARS20")!.uses).toBe(1);
  });

  it("a top-up: the code first, then the player id; the confirmation and the order show the discounted total", async () => {
    await addPromo("HALF 50% mlbb-86-diamonds");
    const c = h.customer(8008);
    await withPromo(c, "mlbb-86-diamonds", ["HALF"], "applied: 50% off");
    await c.expect("player");
    const confirmation = await askBot(h, c.id, "12345678", /Total|\$1\.00/);
    expect(stripHtml(confirmation.text)).toContain("$1.00");
    const before = h.telegram.version;
    await tapAndWait(h, c.id, confirmation, "ok");
    const summary = await h.telegram.waitFor(c.id, (m) => m.version > before && /ORD-\w{8}/.test(m.text) && m.buttons.flat().some((b) => b.url));
    const orderId = /ORD-\w{8}/.exec(stripHtml(summary.text))![0];
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ amount: 100, originalAmount: 199, promoCode: "HALF", recipient: "12345678" });
  });

  it("/promo off: refused at checkout from then on", async () => {
    await askBot(h, ADMIN_ID, "/promo off stars20", "STARS20 is off", OPS);
    await withPromo(h.customer(8007), "steam-20-usd", ["STARS20"], "doesn't exist or is no longer valid");
  });

  it("a code with an expiry already past, or an unknown product, is refused at /promo add", async () => {
    await askBot(h, ADMIN_ID, "/promo add LATE 10% 2020-01-01", "That day has passed", OPS);
    await askBot(h, ADMIN_ID, "/promo add ODD 10% no-such-thing", "neither a product's sku nor a category", OPS);
    expect(getPromo(h.shop.db, "LATE")).toBeUndefined();
  });

  it("a stranger cannot add, list or turn off codes", async () => {
    h.customer(666);
    for (const command of ["/promo add FREE 90%", "/promo list", "/promo off SPRING10"]) {
      const answer = await askBot(h, 666, command, /./);
      expect(stripHtml(answer.text)).toBe("I don't know that command. /help lists what I can do.");
    }
    expect(getPromo(h.shop.db, "FREE")).toBeUndefined();
    expect(getPromo(h.shop.db, "SPRING10")!.active).toBe(true);
  });
});
