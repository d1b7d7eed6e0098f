// Money moved outside the happy path, end to end through the real shop: refunds and disputes made in Stripe
// before, during and after fulfilment (in any order, twice), the shop's own refund racing Stripe's event, an
// admin's refund of an order the supplier still has, Stars payments that arrive late, twice, or never as an update.
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { orders, products } from "../../src/db/schema.js";
import { disputesOfOrder } from "../../src/orders/disputes.js";
import { getDeliveredItems, getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { ADMIN_ID, OPS_CHAT_ID, STEAM_20, confirmAsAdmin, openOrder, openStarsOrder, opsMessage, paidOrder, startHarness, statusOf, waitForStatus, waitUntil, type Harness, type HarnessOptions } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const fast: HarnessOptions["shop"] = { pipeline: { backoffBaseMs: 20, backoffMaxMs: 200, pollIntervalMs: 100_000 } };
/** The supplier keeps the order pending (no webhook) until the test resolves it. */
const PENDING = { "steam-20-usd": { outcome: "pending" as const, webhook: "once" as const } };

function causes(orderId: string): string[] {
  return getOrderEvents(h.shop.db, orderId).map((e) => `${e.toStatus}:${e.cause}`);
}

function paymentIntent(orderId: string): string {
  return getOrder(h.shop.db, orderId)!.stripePaymentIntentId!;
}

async function settled(): Promise<void> {
  await waitUntil(() => (h.shop.db.$client.prepare("SELECT count(*) AS n FROM stripe_events WHERE processed_at IS NULL").get() as { n: number }).n === 0);
}

function sentCode(orderId: string, chatId: number): boolean {
  const code = h.supplier.orderByReference(orderId)?.items[0]?.code;
  return Boolean(code) && h.telegram.messages(chatId).some((m) => m.from === "bot" && m.text.includes(code!));
}

describe("a refund made in Stripe before delivery stops the delivery", () => {
  it("refunded before anything was ordered (the refund event even arrives first): refunded, nothing bought, told once", async () => {
    h = await startHarness({ shop: fast });
    const customer = h.customer(7001);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_20);
    // Stripe's events in the wrong order: the refund is stored before the payment it refunds.
    const paid = h.stripe.pay(sessionId);
    const pi = h.stripe.sessions.get(sessionId)!.payment_intent!;
    const refund = await h.stripe.refundInDashboard(pi, { post: false });
    expect(await h.stripe.post(refund.signed)).toBe(200);
    expect(await h.stripe.post(paid)).toBe(200);
    await waitForStatus(h, orderId, "refunded");
    expect(h.supplier.createdByReference.get(orderId)).toBeUndefined();
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ refundedAmount: 2199, holdReason: "stripe_refund" });
    await customer.expect("was refunded, so the order is cancelled");
    await opsMessage(h, /refunded in Stripe before delivery: no code was bought/);
    // A duplicate of the refund changes nothing and tells nobody again.
    expect(await h.stripe.post(refund.signed)).toBe(200);
    await settled();
    expect(customer.messages().filter((m) => stripHtml(m.text).includes("was refunded, so the order is cancelled"))).toHaveLength(1);
    expect(statusOf(h, orderId)).toBe("refunded");
  });

  it("refunded while the supplier works on it: the code that arrives later is stored encrypted, never sent, and a person decides", async () => {
    h = await startHarness({ shop: fast, simulator: { behaviours: PENDING } });
    const customer = h.customer(7002);
    const orderId = await paidOrder(h, 7002, STEAM_20);
    await waitForStatus(h, orderId, "supplier_pending");
    await h.stripe.refundInDashboard(paymentIntent(orderId));
    await waitUntil(() => getOrder(h.shop.db, orderId)!.holdReason === "stripe_refund");
    await customer.expect("was refunded, so the order is cancelled");
    h.supplier.resolvePending();
    await waitForStatus(h, orderId, "needs_review");
    expect(getDeliveredItems(h.shop.db, orderId)).toHaveLength(1);
    expect(sentCode(orderId, customer.id)).toBe(false);
    expect(getOrder(h.shop.db, orderId)!.lastError).toMatch(/refunded in Stripe before delivery; the code is stored encrypted and was not sent/);
    await opsMessage(h, /Refund made in Stripe[\s\S]*held, the code will not be sent/);
    expect(h.supplier.createdByReference.get(orderId)).toBe(1);
  });

  it("a partial refund is an amount: the order goes on and is delivered, ops told", async () => {
    h = await startHarness({ shop: fast, simulator: { behaviours: PENDING } });
    const customer = h.customer(7003);
    const orderId = await paidOrder(h, 7003, STEAM_20);
    await waitForStatus(h, orderId, "supplier_pending");
    await h.stripe.refundInDashboard(paymentIntent(orderId), { amount: 500 });
    await settled();
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ refundedAmount: 500, holdReason: null, status: "supplier_pending" });
    await opsMessage(h, /\$5\.00 of \$21\.99 refunded in Stripe \(partial/);
    h.supplier.resolvePending();
    await waitForStatus(h, orderId, "delivered");
    expect(sentCode(orderId, customer.id)).toBe(true);
  });

  it("the shop's own refund racing Stripe's charge.refunded: the refund id is recorded, the customer told, no 'made in Stripe' alert", async () => {
    h = await startHarness({ shop: fast, simulator: { behaviours: { "steam-20-usd": { outcome: "fail" } } } });
    const customer = h.customer(7004);
    const orderId = await paidOrder(h, 7004, STEAM_20);
    await waitForStatus(h, orderId, "refunded");
    await settled();
    // The fake posts charge.refunded for the shop's own refund, as Stripe does.
    await waitUntil(() => causes(orderId).includes("refunding:charge.refunded") || causes(orderId).some((c) => c.startsWith("refunded:")));
    expect(getOrder(h.shop.db, orderId)!.refundId).toMatch(/^re_test_/);
    await customer.expect("has been refunded");
    await opsMessage(h, "Orders refunded");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ops = h.telegram.messages(OPS_CHAT_ID).map((m) => stripHtml(m.text)).join("\n");
    expect(ops).not.toContain("Refund made in Stripe");
  });
});

describe("disputes", () => {
  it("opened before delivery: held like a refund, the alert names order, amount, reason and due date; closing records the outcome", async () => {
    h = await startHarness({ shop: fast, simulator: { behaviours: PENDING } });
    const customer = h.customer(7010);
    const orderId = await paidOrder(h, 7010, STEAM_20);
    await waitForStatus(h, orderId, "supplier_pending");
    const { dispute } = await h.stripe.openDispute(paymentIntent(orderId), { reason: "fraudulent" });
    const due = new Date(dispute.evidence_details.due_by * 1000).toISOString().slice(0, 16).replace("T", " ");
    await opsMessage(h, new RegExp(`${orderId}: dispute ${dispute.id} \\(fraudulent\\) for \\$21\\.99, evidence due ${due} UTC; customer 7010 and their card banned \\(RISK_BAN_ON_DISPUTE\\); opened before delivery`));
    await customer.expect("its payment is being disputed");
    h.supplier.resolvePending();
    await waitForStatus(h, orderId, "needs_review");
    expect(sentCode(orderId, customer.id)).toBe(false);
    expect(disputesOfOrder(h.shop.db, orderId)[0]).toMatchObject({ id: dispute.id, status: "needs_response", beforeDelivery: true, amount: 2199 });
    await waitUntil(() => disputesOfOrder(h.shop.db, orderId)[0]!.fundsWithdrawnAt !== null);
    await h.stripe.closeDispute(dispute.id, "lost");
    await waitUntil(() => disputesOfOrder(h.shop.db, orderId)[0]!.status === "lost");
    await opsMessage(h, `dispute ${dispute.id} closed, lost`);
  });

  it("on a delivered order: alert at once, the sale leaves revenue in /stats, /order shows it; won reinstates", async () => {
    h = await startHarness({ shop: fast });
    const orderId = await paidOrder(h, 7011, STEAM_20);
    await waitForStatus(h, orderId, "delivered");
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, "/stats");
    await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes("Revenue: $21.99"));
    const { dispute } = await h.stripe.openDispute(paymentIntent(orderId), { reason: "product_not_received" });
    await opsMessage(h, new RegExp(`${orderId}: dispute ${dispute.id} \\(product_not_received\\) for \\$21\\.99.*the order was delivered`));
    expect(statusOf(h, orderId)).toBe("delivered");
    const before = h.telegram.version;
    h.telegram.sendText(ADMIN_ID, "/stats");
    const stats = await h.telegram.waitFor(ADMIN_ID, (m) => m.version > before && stripHtml(m.text).includes("Revenue"));
    expect(stripHtml(stats.text)).toMatch(/Today[^\n]*\nRevenue: 0/);
    h.telegram.sendText(ADMIN_ID, `/order ${orderId}`);
    await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`Dispute ${dispute.id}: product_not_received`));
    await h.stripe.closeDispute(dispute.id, "won");
    await waitUntil(() => causes(orderId).includes("delivered:charge.dispute.closed"));
    expect(disputesOfOrder(h.shop.db, orderId)[0]).toMatchObject({ status: "won", fundsReinstatedAt: expect.any(Number), closedAt: expect.any(Number) });
    expect(causes(orderId)).toEqual(expect.arrayContaining(["delivered:charge.dispute.created", "delivered:charge.dispute.closed"]));
  });
});

describe("a dispute on an order in review", () => {
  it("stops it: /retry and /code (and so the automatic retry after a balance top-up, which asks the same) buy and send nothing", async () => {
    h = await startHarness({ shop: fast, simulator: { balance: { amount: 100, currency: "USD" }, balanceErrorAs500: true } });
    const customer = h.customer(7030);
    const orderId = await paidOrder(h, 7030, STEAM_20);
    await waitForStatus(h, orderId, "needs_review");
    const { dispute } = await h.stripe.openDispute(paymentIntent(orderId), { reason: "fraudulent" });
    await opsMessage(h, new RegExp(`${orderId}: dispute ${dispute.id}`));
    h.supplier.balance.amount = 1_000_000;
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/retry ${orderId}`);
    await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`${orderId} is not fulfilled: its payment is disputed`));
    h.telegram.sendText(ADMIN_ID, `/code ${orderId} STEAM-ABCDE-FGHIJ-KLMNO`);
    await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`${orderId} is not fulfilled: its payment is disputed`) && m.text.includes("/refund"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statusOf(h, orderId)).toBe("needs_review");
    expect(h.supplier.requests.filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(1);
    expect(customer.messages().some((m) => m.text.includes("STEAM-ABCDE"))).toBe(false);
  });
});

describe("/refund from the ops chat", () => {
  it("an order the supplier still has is held, then refunded when the supplier finishes; its code is kept, not sent", async () => {
    h = await startHarness({ shop: fast, simulator: { behaviours: PENDING } });
    const customer = h.customer(7020);
    const orderId = await paidOrder(h, 7020, STEAM_20);
    await waitForStatus(h, orderId, "supplier_pending");
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/refund ${orderId}`);
    await confirmAsAdmin(h, `Refund order ${orderId}?`);
    await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`${orderId}: held`));
    h.supplier.resolvePending();
    await waitForStatus(h, orderId, "refunded");
    expect(getDeliveredItems(h.shop.db, orderId)).toHaveLength(1);
    expect(sentCode(orderId, customer.id)).toBe(false);
    expect(h.stripe.refunds.filter((r) => r.payment_intent === paymentIntent(orderId))).toHaveLength(1);
    await customer.expect("has been refunded");
  });

  it("asked while the code's message waits for its slot, and Telegram then refuses it (blocked): refunded, not left undeliverable", async () => {
    // Pacing on, with a long gap per chat and no burst: the delivery waits for its slot after the checkout's messages.
    h = await startHarness({ shop: { ...fast, pacing: { privateGapMs: 5_000, privateBurst: 1 } } });
    const customer = h.customer(7022);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_20);
    h.telegram.blocked.add(customer.id);
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "fulfilled");
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/refund ${orderId}`);
    await confirmAsAdmin(h, `Refund order ${orderId}?`);
    await waitForStatus(h, orderId, "refunded");
    expect(causes(orderId)).not.toContain("delivery_failed:telegram_refused");
    expect(causes(orderId)).toContain("refunding:hold_resolved:code_ready");
    expect(h.stripe.refunds.filter((r) => r.payment_intent === paymentIntent(orderId))).toHaveLength(1);
  });

  it("asked while the code's message waits for its pacing slot: the code never leaves, the order is refunded", async () => {
    h = await startHarness({ shop: { ...fast, pacing: { privateGapMs: 5_000, privateBurst: 1 } } });
    const customer = h.customer(7023);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM_20);
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "fulfilled");
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/refund ${orderId}`);
    await confirmAsAdmin(h, `Refund order ${orderId}?`);
    await waitForStatus(h, orderId, "refunded", 15_000);
    expect(causes(orderId)).toContain("refunding:hold_resolved:code_ready");
    expect(causes(orderId).some((c) => c.startsWith("delivered:"))).toBe(false);
    expect(sentCode(orderId, customer.id)).toBe(false);
    expect(h.stripe.refunds.filter((r) => r.payment_intent === paymentIntent(orderId))).toHaveLength(1);
  });

  it("a refund Stripe refuses for good can be closed as refunded by hand, with a note", async () => {
    h = await startHarness({ shop: fast, simulator: { behaviours: { "steam-20-usd": { outcome: "pending", resolveTo: "failed", webhook: "once" } } } });
    const { orderId, sessionId } = await openOrder(h, h.customer(7021), STEAM_20);
    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    await waitForStatus(h, orderId, "supplier_pending");
    // The payment no longer exists at Stripe by the time the shop refunds it.
    h.stripe.sessions.delete(sessionId);
    h.stripe.charges.clear();
    h.supplier.resolvePending();
    await waitForStatus(h, orderId, "needs_review");
    expect(getOrder(h.shop.db, orderId)!.lastError).toMatch(/No such payment_intent/);
    await opsMessage(h, /Refund could not be made[\s\S]*Stripe dashboard/);
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/refund ${orderId} manual paid back by bank transfer`);
    await waitForStatus(h, orderId, "refunded");
    expect(getOrderEvents(h.shop.db, orderId).at(-1)).toMatchObject({ cause: "refunded_by_hand", actor: `admin:${ADMIN_ID}`, detail: { note: "paid back by bank transfer" } });
  });
});

const starsOrder = (customerId: number, sku = "steam-20-usd") => openStarsOrder(h, customerId, sku);

describe("Telegram Stars payments are durable", () => {
  it("a payment whose update never reached the shop is found in Telegram's ledger and delivered", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" } });
    const { c, invoice, orderId } = await starsOrder(7030);
    // Telegram charged the customer; the shop crashed before it stored the update.
    const paid = await h.telegram.payInvoice(c.id, invoice.message_id, { deliverUpdate: false });
    expect(paid.ok).toBe(true);
    await h.restart();
    await waitForStatus(h, orderId, "delivered");
    expect(getOrder(h.shop.db, orderId)!.telegramChargeId).toBe(paid.chargeId);
    await c.expect("How to redeem");
  });

  it("a payment for an order that expired meanwhile revives it; one that can no longer be fulfilled is refunded", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" } });
    const first = await starsOrder(7031);
    const second = await starsOrder(7032, "steam-50-usd");
    // Both pay; the updates are lost (the shop was down), and the shop's Stars expiry closes the orders meanwhile.
    await h.telegram.payInvoice(first.c.id, first.invoice.message_id, { deliverUpdate: false });
    await h.telegram.payInvoice(second.c.id, second.invoice.message_id, { deliverUpdate: false });
    for (const { orderId } of [first, second]) h.shop.db.update(orders).set({ status: "expired" }).where(eq(orders.id, orderId)).run();
    // Out of stock at the supplier since (the catalog file does not reset that at start).
    h.shop.db.update(products).set({ inStock: false }).where(eq(products.sku, "steam-50-usd")).run();
    await h.restart();
    await waitForStatus(h, first.orderId, "delivered");
    await waitForStatus(h, second.orderId, "refunded");
    expect(h.telegram.starRefunds.map((r) => r.userId)).toEqual([7032]);
    expect(causes(first.orderId)).toContain("paid:paid_after_close:revived");
    await opsMessage(h, /paid in Stars after it expired; the product is no longer for sale, so it is refunded/);
  });

  it("a second charge for the same order (two invoices paid) is returned automatically, with an alert; delivered once", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" } });
    const { c, invoice, orderId } = await starsOrder(7033);
    // A second invoice of the same order, as when the customer tapped Pay in Stars twice.
    const { sendStarsInvoice } = await import("../../src/payments/stars.js");
    await sendStarsInvoice(h.shop.api, getOrder(h.shop.db, orderId)!, "Steam Wallet 20 USD", "again");
    const second = await h.telegram.waitFor(c.id, (m) => Boolean(m.invoice) && m.message_id !== invoice.message_id);
    const one = await h.telegram.payInvoice(c.id, invoice.message_id);
    await waitForStatus(h, orderId, "delivered");
    // The pre-checkout refuses a paid order; Telegram's own race lets a second charge through anyway (as in the ledger).
    h.telegram.starTransactions.push({
      id: "stxSECONDCHARGE1",
      amount: getOrder(h.shop.db, orderId)!.amount,
      date: Math.floor(Date.now() / 1000),
      source: { type: "user", transaction_type: "invoice_payment", user: { id: c.id, is_bot: false, first_name: "x" }, invoice_payload: orderId },
    });
    expect(second.invoice).toBeDefined();
    await h.restart();
    await waitUntil(() => h.telegram.starRefunds.some((r) => r.chargeId === "stxSECONDCHARGE1"));
    expect(h.telegram.starRefunds.some((r) => r.chargeId === one.chargeId)).toBe(false);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ status: "delivered", telegramChargeId: one.chargeId });
    await opsMessage(h, /a second Stars charge of ⭐ [\d,]+ \(stxSECONDCHARGE1\); it is being returned/);
    await c.expect("was paid twice");
    expect(c.messages().filter((m) => stripHtml(m.text).includes("How to redeem"))).toHaveLength(1);
  });

  it("a failed Stars refund is never told to use the Stripe dashboard", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars" }, simulator: { behaviours: { "xbox-15-usd": { outcome: "fail" } } }, shop: fast });
    const { c, invoice, orderId } = await starsOrder(7034, "xbox-15-usd");
    h.telegram.failNext("refundStarPayment", 1, { code: 400, description: "Bad Request: CHARGE_NOT_FOUND" });
    await h.telegram.payInvoice(c.id, invoice.message_id);
    await waitForStatus(h, orderId, "needs_review");
    const alert = await opsMessage(h, "Stars refund could not be made");
    expect(stripHtml(alert.text)).not.toMatch(/Stripe/);
  });
});
