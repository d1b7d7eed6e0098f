// Telegram Stars end to end against the fake Bot API: the invoice in XTR with an empty provider token, the
// pre-checkout, the successful payment, delivery, and the refund with refundStarPayment.
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { orders } from "../../src/db/schema.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { openOrder, openStarsOrder, startHarness, tapAndWait, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const starsOrder = (customerId: number, sku: string) => openStarsOrder(h, customerId, sku);

describe("Telegram Stars", () => {
  it("sells a code for Stars: invoice, pre-checkout, payment, delivery", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" } });
    const { c, invoice, orderId } = await starsOrder(5001, "steam-20-usd");
    const call = h.telegram.calls.find((x) => x.method === "sendInvoice")!;
    expect(call.params["currency"]).toBe("XTR");
    expect(call.params["provider_token"]).toBe("");
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ currency: "XTR", amount: 1695, paymentMethod: "stars", stripeSessionId: null });
    const paid = await h.telegram.payInvoice(c.id, invoice.message_id);
    expect(paid.ok).toBe(true);
    const delivery = await c.expect("How to redeem");
    expect(delivery.text).toContain(h.supplier.orderByReference(orderId)!.items[0]!.code!);
    await waitForStatus(h, orderId, "delivered");
    expect(getOrder(h.shop.db, orderId)!.telegramChargeId).toBe(paid.chargeId);
    expect(getOrderEvents(h.shop.db, orderId).map((e) => e.cause)).toContain("telegram.successful_payment");
    expect(h.stripe.requests).toHaveLength(0);
  });

  it("refunds a Stars payment with refundStarPayment when the supplier fails, once", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" }, simulator: { behaviours: { "xbox-15-usd": { outcome: "fail" } } } });
    const { c, invoice, orderId } = await starsOrder(5002, "xbox-15-usd");
    const paid = await h.telegram.payInvoice(c.id, invoice.message_id);
    await waitForStatus(h, orderId, "refunded");
    expect(h.telegram.starRefunds).toEqual([{ userId: 5002, chargeId: paid.chargeId }]);
    expect(getOrder(h.shop.db, orderId)!.refundId).toBe(`stars:${paid.chargeId}`);
    // A Stars refund goes back to the Telegram balance: never "reaches your card".
    const notice = await c.expect("returned to your Telegram Stars balance");
    expect(notice.text).not.toMatch(/card/i);
    // A second refund of the same charge (an admin's, a replay) is answered CHARGE_ALREADY_REFUNDED: done, not an error.
    const { refundStars } = await import("../../src/payments/stars.js");
    await expect(refundStars(h.shop.bot.api, getOrder(h.shop.db, orderId)!)).resolves.toEqual({ refundId: `stars:${paid.chargeId}` });
    expect(h.telegram.starRefunds).toHaveLength(1);
  });

  it("refuses the pre-checkout of an expired order, and nothing is paid", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" } });
    const { c, invoice, orderId } = await starsOrder(5003, "psn-25-usd");
    h.shop.db.update(orders).set({ expiresAt: Date.now() - 1000 }).where(eq(orders.id, orderId)).run();
    const verdict = await h.telegram.payInvoice(c.id, invoice.message_id);
    expect(verdict).toEqual({ ok: false, error_message: "This order has expired. Please start again from the catalog." });
    expect(getOrder(h.shop.db, orderId)!.status).toBe("awaiting_payment");
    expect(h.supplier.createdByReference.has(orderId)).toBe(false);
  });

  it("offers both ways when PAYMENT_METHODS is both; choosing Stars closes the card session first", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stripe,stars" } });
    const c = h.customer(5004);
    const { orderId, sessionId } = await openOrder(h, c, ["/start buy_psn-25-usd"]);
    const checkout = c.lastBotMessage()!;
    const labels = checkout.buttons.flat().map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(["💳 Pay $27.49", "⭐ Pay 2,115 Stars", "✖️ Cancel order"]));
    c.tap("⭐ Pay");
    const invoice = await h.telegram.waitFor(c.id, (m) => Boolean(m.invoice));
    expect(h.stripe.sessions.get(sessionId)!.status).toBe("expired");
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ paymentMethod: "stars", currency: "XTR", amount: 2115 });
    await h.telegram.payInvoice(c.id, invoice.message_id);
    await waitForStatus(h, orderId, "delivered");
    // The late expiry event of the card session does not touch the Stars order.
    await waitUntil(() => (h.shop.db.$client.prepare("SELECT count(*) AS n FROM stripe_events WHERE processed_at IS NOT NULL").get() as { n: number }).n >= 1);
    expect(getOrder(h.shop.db, orderId)!.status).toBe("delivered");
    expect(stripHtml(checkout.text)).toContain(orderId);
    // The old "⭐ Pay" button of the order, tapped after it was paid: told so, and no second invoice.
    const invoices = h.telegram.calls.filter((x) => x.method === "sendInvoice").length;
    const stars = checkout.buttons.flat().find((b) => b.text.startsWith("⭐"))!.callback_data!;
    const answer = await tapAndWait(h, c.id, checkout, stars);
    expect(answer.text).toBe("This order is already paid or closed.");
    expect(h.telegram.calls.filter((x) => x.method === "sendInvoice")).toHaveLength(invoices);
  });
});
