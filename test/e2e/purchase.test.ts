// End to end: the real bot over HTTP against the fake Bot API, the supplier simulator over HTTP, the fake
// Stripe API through STRIPE_API_URL, and Stripe events signed with generateTestHeaderString.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDeliveredItems, getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { payButton, startHarness, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function buySteam(customerId: number) {
  const alice = h.customer(customerId);
  alice.say("/start");
  await alice.expect("Pick a category");
  alice.tap("Gift cards");
  await alice.expect("Gift cards: pick a product");
  alice.tap("Steam Wallet ·");
  await alice.expect("Steam Wallet: pick an amount");
  alice.tap("Steam Wallet 20 USD");
  await alice.expect("Price: $21.99");
  alice.tap("Buy for $21.99");
  await alice.expect("how many codes?");
  alice.tap("1 × $21.99");
  const checkout = await alice.expect(/Order ORD-\w{8}/);
  const orderId = /ORD-\w{8}/.exec(stripHtml(checkout.text))![0];
  return { alice, checkout, orderId };
}

describe("a customer buys a gift card", () => {
  it("pays on Stripe and gets exactly the code the supplier issued, with the order logged as delivered", async () => {
    const { alice, checkout, orderId } = await buySteam(1001);
    const { url, sessionId } = payButton(checkout);
    expect(url).toContain("/checkout/cs_test_");
    const session = h.stripe.sessions.get(sessionId)!;
    expect(session.client_reference_id).toBe(orderId);
    expect(session.metadata["order_id"]).toBe(orderId);
    expect(session.amount_total).toBe(2199);
    expect(session.allowed_payment_method_types).toEqual(["card"]);
    expect(session.success_url).toBe(`https://t.me/${h.telegram.botUser.username}?start=paid_${orderId}`);
    expect(session.expires_at - session.created).toBeGreaterThanOrEqual(30 * 60);
    expect(session.expires_at - session.created).toBeLessThan(31 * 60);

    expect(await h.stripe.completeCheckout(sessionId)).toBe(200);
    const delivery = await alice.expect("How to redeem");

    const issued = h.supplier.orderByReference(orderId)!;
    const code = issued.items[0]!.code!;
    expect(delivery.text).toContain(`<code>${code}</code>`);
    expect(stripHtml(delivery.text)).toContain("Steam Wallet 20 USD");
    expect(stripHtml(delivery.text)).toContain("@shop_support");

    const order = await waitUntil(() => {
      const row = getOrder(h.shop.db, orderId);
      return row?.status === "delivered" ? row : undefined;
    });
    expect(order.telegramMessageId).toBe(delivery.message_id);
    expect(getOrderEvents(h.shop.db, orderId).map((e) => `${e.fromStatus ?? "∅"}→${e.toStatus}`)).toEqual([
      "∅→awaiting_payment",
      "awaiting_payment→paid",
      "paid→fulfilled",
      "fulfilled→delivered",
    ]);
    const [item] = getDeliveredItems(h.shop.db, orderId);
    expect(item!.codeEnc).not.toContain(code);
    expect(h.shop.pipeline.sealer.open(item!.codeEnc, orderId)).toBe(code);
    expect(h.logs.join("")).not.toContain(code);
  });

  it("applies the same event posted twice once: one supplier order, one delivery", async () => {
    const { alice, checkout, orderId } = await buySteam(1002);
    const signed = h.stripe.pay(payButton(checkout).sessionId);
    expect(await h.stripe.post(signed)).toBe(200);
    expect(await h.stripe.post(signed)).toBe(200);
    await alice.expect("How to redeem");
    await waitUntil(() => getOrder(h.shop.db, orderId)?.status === "delivered");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.supplier.createdByReference.get(orderId)).toBe(1);
    expect(alice.messages().filter((m) => m.from === "bot" && stripHtml(m.text).includes("How to redeem"))).toHaveLength(1);
  });

  it("records an event type the shop does not act on as processed at once, without its body; a second copy is a duplicate", async () => {
    const signed = h.stripe.signedEvent("payment_intent.created", { id: "pi_unrelated_1", object: "payment_intent", amount: 100, currency: "usd", metadata: {} });
    expect(await h.stripe.post(signed)).toBe(200);
    expect(await h.stripe.post(signed)).toBe(200);
    const rows = h.shop.db.$client.prepare("SELECT type, payload, processed_at IS NOT NULL AS processed, outcome FROM stripe_events WHERE id = ?").all(signed.event.id);
    expect(rows).toEqual([{ type: "payment_intent.created", payload: "", processed: 1, outcome: "ignored" }]);
  });

  it("answers a forged signature with 400 and changes nothing", async () => {
    const { checkout, orderId } = await buySteam(1003);
    const signed = h.stripe.pay(payButton(checkout).sessionId);
    const forged = { payload: signed.payload, header: signed.header.replace(/v1=[0-9a-f]{4}/, "v1=0000") };
    expect(await h.stripe.post(forged)).toBe(400);
    const tampered = { payload: signed.payload.replace('"amount_total":2199', '"amount_total":1'), header: signed.header };
    expect(await h.stripe.post(tampered)).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(getOrder(h.shop.db, orderId)!.status).toBe("awaiting_payment");
    expect(h.shop.db.$client.prepare("SELECT count(*) AS n FROM stripe_events").get()).toEqual({ n: 0 });
    expect(h.supplier.createdByReference.size).toBe(0);
  });

  it("sends an order whose paid amount differs to review, without a supplier order", async () => {
    const { checkout, orderId } = await buySteam(1004);
    expect(await h.stripe.completeCheckout(payButton(checkout).sessionId, { amount_total: 199 })).toBe(200);
    await waitUntil(() => getOrder(h.shop.db, orderId)?.status === "needs_review");
    await h.telegram.waitFor(-1001234567890, (m) => stripHtml(m.text).includes(orderId));
    expect(h.supplier.createdByReference.has(orderId)).toBe(false);
  });

  it("expires the order when Stripe expires the session", async () => {
    const { checkout, orderId } = await buySteam(1005);
    expect(await h.stripe.expireCheckout(payButton(checkout).sessionId)).toBe(200);
    await waitUntil(() => getOrder(h.shop.db, orderId)?.status === "expired");
  });

  it("lands /start paid_<id> on one line with the order's status, not the delivery again; a button shows the code", async () => {
    const { alice, checkout, orderId } = await buySteam(1006);
    await h.stripe.completeCheckout(payButton(checkout).sessionId);
    const delivery = await alice.expect("How to redeem");
    await waitUntil(() => getOrder(h.shop.db, orderId)?.status === "delivered");
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    alice.say(`/start paid_${orderId}`);
    const status = await alice.expect(`Order ${orderId}: delivered.`);
    expect(stripHtml(status.text).split("\n")).toHaveLength(1);
    expect(status.text).not.toContain(code);
    expect(alice.messages().filter((m) => m.from === "bot" && m.text.includes(code))).toEqual([delivery]);
    alice.tap("Show the code again");
    const view = await h.telegram.waitFor(alice.id, (m) => m.text.includes("Status: <b>delivered") && m.text.includes(code));
    expect(stripHtml(view.text)).toContain("How to redeem");
  });

  it("says the payment is being confirmed when the customer is back before Stripe's event", async () => {
    const { alice, orderId } = await buySteam(1008);
    alice.say(`/start paid_${orderId}`);
    await alice.expect(`Order ${orderId}: we are confirming your payment.`);
  });

  it("opens a product card from /start buy_<sku>", async () => {
    const bob = h.customer(1007);
    bob.say("/start buy_razer-gold-10-usd");
    await bob.expect("Razer Gold 10 USD");
  });
});
