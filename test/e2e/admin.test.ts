// Admin commands and the review queue, for an admin and for a stranger; /metrics and /healthz.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDeliveredItems, getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { ADMIN_ID, OPS_CHAT_ID, RAZER_10, STEAM_20, STEAM_50, paidOrder, startHarness, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
let delivered: string;
let review: string;
let reviewPin: string;
let review2: string;
let review3: string;

beforeAll(async () => {
  h = await startHarness({
    simulator: { behaviours: { "steam-50-usd": { outcome: "empty_code" }, "razer-gold-10-usd": { outcome: "missing_pin" } } },
    shop: { pipeline: { backoffBaseMs: 20 } },
  });
  h.customer(ADMIN_ID);
  h.customer(666); // a stranger
  delivered = await paidOrder(h, 3001, STEAM_20);
  review = await paidOrder(h, 3002, STEAM_50);
  reviewPin = await paidOrder(h, 3003, RAZER_10);
  review2 = await paidOrder(h, 3004, STEAM_50);
  review3 = await paidOrder(h, 3005, STEAM_50);
  await waitForStatus(h, delivered, "delivered");
  for (const id of [review, reviewPin, review2, review3]) await waitForStatus(h, id, "needs_review");
});
afterAll(async () => {
  await h.close();
});

async function ask(userId: number, text: string, reply: string | RegExp) {
  const before = h.telegram.messages(userId).length;
  h.telegram.sendText(userId, text);
  return h.telegram.waitFor(userId, (m) => m.message_id > before && (typeof reply === "string" ? stripHtml(m.text).includes(reply) : reply.test(stripHtml(m.text))));
}

describe("admin commands", () => {
  it.each([
    ["/stats", /Today.*5 paid orders/s],
    ["/pending", "No paid order is waiting"],
    ["/review", /In review \(4\)/],
    ["/balance", /Supplier balances\ngeneric: \$[\d,]+\.\d\d\nreloadly: \$[\d,]+\.\d\d/],
  ])("%s answers an admin", async (command, reply) => {
    await ask(ADMIN_ID, command, reply);
  });

  it("/order shows the timeline from the event log", async () => {
    const answer = await ask(ADMIN_ID, `/order ${delivered}`, delivered);
    const text = stripHtml(answer.text);
    expect(text).toContain("awaiting_payment → paid · checkout.session.completed · stripe");
    expect(text).toContain("fulfilled → delivered · sent · worker");
  });

  it.each(["/stats", "/order ORD-00000000", "/pending", "/review", "/retry ORD-00000000", "/refund ORD-00000000", "/resend ORD-00000000", "/balance", "/code ORD-00000000 X"])(
    "%s gives a stranger no hint that it exists",
    async (command) => {
      const answer = await ask(666, command, /./);
      expect(stripHtml(answer.text)).toBe("I don't know that command. /help lists what I can do.");
    },
  );

  it("a stranger's tap on a review button does nothing", async () => {
    const id = h.telegram.tap(666, 1, `af:${review}`);
    await waitUntil(() => h.telegram.callbackAnswers.get(id));
    expect(getOrder(h.shop.db, review)!.status).toBe("needs_review");
  });

  it("Enter code: the admin replies with the code and PIN; validated, stored encrypted, delivered, logged with the admin's id", async () => {
    const list = await ask(ADMIN_ID, "/review", "In review");
    const button = list.buttons.flat().find((b) => b.callback_data === `ac:${reviewPin}`)!;
    h.telegram.tap(ADMIN_ID, list.message_id, button.callback_data!);
    const prompt = await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes(`code for ${reviewPin}`));
    expect(prompt.text).toContain("PIN on a second line");
    // Without the PIN: refused, nothing stored.
    const refused = await replyTo(prompt.message_id, prompt.text, "RZR-MANUAL-CODE", /needs a PIN/);
    expect(refused).toBeDefined();
    expect(getOrder(h.shop.db, reviewPin)!.status).toBe("needs_review");
    const question = await replyTo(prompt.message_id, prompt.text, "RZR-MANUAL-CODE\n4321", /Send this code to the customer of/);
    // Asked first, with the order, the amount and the code to compare with the card; nothing stored yet.
    expect(stripHtml(question.text)).toMatch(new RegExp(`${reviewPin}[\\s\\S]*Razer Gold 10 USD × 1 · \\$\\d+\\.\\d\\d[\\s\\S]*Code: RZR-MANUAL-CODE\\nPIN: 4321`));
    expect(getDeliveredItems(h.shop.db, reviewPin)).toHaveLength(0);
    await confirm(question, /code stored/);
    await waitForStatus(h, reviewPin, "delivered");
    const delivery = await h.customer(3003).expect("RZR-MANUAL-CODE");
    expect(delivery.text).toContain("<code>4321</code>");
    const [item] = getDeliveredItems(h.shop.db, reviewPin);
    expect(item!.source).toBe(`admin:${ADMIN_ID}`);
    expect(item!.codeEnc).not.toContain("RZR");
    expect(getOrderEvents(h.shop.db, reviewPin).find((e) => e.cause === "admin_entered_code")!.actor).toBe(`admin:${ADMIN_ID}`);
    // The code does not rest in the admin's chat: their messages with it were deleted, the question now shows the outcome.
    await waitUntil(() => !h.telegram.messages(ADMIN_ID).some((m) => !m.deleted && (m.text ?? "").includes("RZR-MANUAL-CODE")), 5_000, "the code gone from the admin's chat");
  });

  it("Refund button: asks first with the order and amount, then refunds through Stripe and logs the admin", async () => {
    const list = await ask(ADMIN_ID, "/review", "In review");
    const before = h.telegram.version;
    h.telegram.tap(ADMIN_ID, list.message_id, `af:${review}`);
    const question = await h.telegram.waitFor(ADMIN_ID, (m) => m.version > before && stripHtml(m.text).includes(`Refund order ${review}?`));
    expect(stripHtml(question.text)).toMatch(/Steam Wallet 50 USD × 1 · \$\d+\.\d\d, paid by card \(Stripe\)/);
    expect(getOrder(h.shop.db, review)!.status).toBe("needs_review");
    await confirm(question, /refund started/);
    await waitForStatus(h, review, "refunded");
    expect(getOrderEvents(h.shop.db, review).find((e) => e.cause === "admin_refund")!.actor).toBe(`admin:${ADMIN_ID}`);
    await ask(ADMIN_ID, `/retry ${review}`, "only orders in review can be retried");
  });

  it("/resend sends a delivered order's code again and logs it", async () => {
    await ask(ADMIN_ID, `/resend ${delivered}`, "sent to the customer again");
    const resends = getOrderEvents(h.shop.db, delivered).filter((e) => e.cause === "resent");
    expect(resends).toHaveLength(1);
    expect(resends[0]!.actor).toBe(`admin:${ADMIN_ID}`);
    const code = h.supplier.orderByReference(delivered)!.items[0]!.code!;
    expect(h.customer(3001).messages().filter((m) => m.text.includes(code))).toHaveLength(2);
  });

  it("admin commands work in the ops chat too", async () => {
    h.telegram.pushUpdate({
      message: {
        message_id: 9001, from: { id: ADMIN_ID, is_bot: false, first_name: "Admin" },
        chat: { id: OPS_CHAT_ID, type: "supergroup", title: "Ops" }, date: Math.floor(Date.now() / 1000),
        text: "/pending", entities: [{ type: "bot_command", offset: 0, length: 8 }],
      },
    });
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.text.includes("No paid order is waiting"));
  });
});

/** Taps the question's Confirm button; waits for the question to turn into the result. */
async function confirm(question: ChatMessage, expected: RegExp, userId = ADMIN_ID) {
  const button = question.buttons.flat().find((b) => b.callback_data?.startsWith("cf:"))!;
  const tapped = h.telegram.tap(userId, question.message_id, button.callback_data!);
  await waitUntil(() => h.telegram.callbackAnswers.get(tapped));
  return h.telegram.waitFor(ADMIN_ID, (m) => m.message_id === question.message_id && expected.test(stripHtml(m.text)));
}

describe("Are you sure? before a refund or a typed code", () => {
  it("Cancel does nothing", async () => {
    const question = await ask(ADMIN_ID, `/refund ${review3}`, `Refund order ${review3}?`);
    const cancel = question.buttons.flat().find((b) => b.callback_data?.startsWith("cx:"))!;
    h.telegram.tap(ADMIN_ID, question.message_id, cancel.callback_data!);
    await h.telegram.waitFor(ADMIN_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("Cancelled: nothing was done"));
    expect(getOrder(h.shop.db, review3)!.status).toBe("needs_review");
    // Its Confirm is gone with it.
    await confirm(question, /expired or was answered already/).catch(() => undefined);
    expect(getOrder(h.shop.db, review3)!.status).toBe("needs_review");
  });

  it("a typed code is checked like a supplier's: \"short\" for a $50 card is refused before anything is asked", async () => {
    const answer = await ask(ADMIN_ID, `/code ${review2} short`, /refused/);
    expect(stripHtml(answer.text)).toContain("That code was refused (an implausibly short code (5 characters)); nothing was stored.");
    expect(answer.buttons).toHaveLength(0);
  });

  it("a stale Confirm does nothing: the order changed since the question was asked", async () => {
    const codeQuestion = await ask(ADMIN_ID, `/code ${review2} GOOD-CODE-12345`, "Send this code to the customer of");
    const refundQuestion = await ask(ADMIN_ID, `/refund ${review2}`, `Refund order ${review2}?`);
    await confirm(refundQuestion, /refund started/);
    await waitForStatus(h, review2, "refunded");
    const stale = await confirm(codeQuestion, /changed since you were asked/);
    expect(stripHtml(stale.text)).toContain(`${review2} changed since you were asked (it is`);
    expect(getDeliveredItems(h.shop.db, review2)).toHaveLength(0);
    expect(getOrderEvents(h.shop.db, review2).some((e) => e.cause === "admin_entered_code")).toBe(false);
  });

  it("only an admin's Confirm counts", async () => {
    const question = await ask(ADMIN_ID, `/refund ${review3}`, `Refund order ${review3}?`);
    const button = question.buttons.flat().find((b) => b.callback_data?.startsWith("cf:"))!;
    const tapped = h.telegram.tap(666, question.message_id, button.callback_data!, ADMIN_ID);
    await waitUntil(() => h.telegram.callbackAnswers.get(tapped));
    expect(getOrder(h.shop.db, review3)!.status).toBe("needs_review");
    await confirm(question, /refund started/);
    await waitForStatus(h, review3, "refunded");
  });
});

/** The admin replies to the bot's prompt in their chat (a message the fake keeps, as Telegram would). */
function replyTo(promptId: number, _promptText: string, text: string, expected: RegExp) {
  const before = h.telegram.version;
  h.telegram.sendText(ADMIN_ID, text, { replyTo: promptId });
  return h.telegram.waitFor(ADMIN_ID, (m) => m.version > before && m.from === "bot" && expected.test(stripHtml(m.text)));
}

describe("/metrics and /healthz", () => {
  it("exports orders by state, supplier latency, payment-to-delivery, webhook outcomes, retries, alerts", async () => {
    const text = await (await fetch(`${h.shopUrl}/metrics`)).text();
    expect(text).toMatch(/shop_orders\{state="delivered"\} \d+/);
    expect(text).toContain("shop_supplier_request_seconds_bucket");
    expect(text).toMatch(/shop_payment_to_delivery_seconds_count \d+/);
    expect(text).toMatch(/shop_webhooks_total\{source="stripe",outcome="stored"\} \d+/);
    expect(text).toContain("shop_retries_total");
    expect(text).toMatch(/shop_alerts_sent_total\{kind="needs_review"\} \d+/);
  });

  it("says healthy while the process, database and worker are alive, 503 when not", async () => {
    const ok = await fetch(`${h.shopUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok", database: true, worker: true, bot: true });
    await h.shop.worker.stop();
    const down = await fetch(`${h.shopUrl}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "unhealthy", worker: false });
    h.shop.worker.start();
  });
});
