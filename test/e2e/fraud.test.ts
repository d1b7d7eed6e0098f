// Fraud controls end to end, through the real bot, the fake Stripe (charges with Radar's outcome and a card
// fingerprint, disputes, evidence) and the supplier simulator: a held order never reaches the supplier until an admin
// releases it; bans; dispute evidence built from the shop's records, with no code in it; the reminder before it is due.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDispute } from "../../src/orders/disputes.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { addBan, findBan, listBans } from "../../src/risk/bans.js";
import { buildDisputeEvidence } from "../../src/risk/evidence.js";
import type { FakeCard } from "../../src/sandbox/fake-stripe.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { ADMIN_ID, OPS_CHAT_ID, confirmAsAdmin, openOrder, openStarsOrder, opsMessage, startHarness, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";

const STRANGER = 666;
const RISKY: Partial<FakeCard> = { risk_level: "elevated", risk_score: 72 };

/** Opens an order for a product (by its deep link, in any language); returns it with its Checkout Session. */
async function open(h: Harness, customerId: number, sku: string, language = "en") {
  const customer = h.customer(customerId, language);
  const opened = await openOrder(h, customer, [`/start buy_${sku}`]);
  return { customer, ...opened };
}

/** Opens and pays an order with this card. */
async function buy(h: Harness, customerId: number, sku: string, card: Partial<FakeCard> = {}, language = "en") {
  const opened = await open(h, customerId, sku, language);
  expect(await h.stripe.completeCheckout(opened.sessionId, { card })).toBe(200);
  return opened;
}

/** An admin command and the bot's answer that matches. */
async function ask(h: Harness, text: string, reply: string | RegExp, userId = ADMIN_ID): Promise<ChatMessage> {
  const before = h.telegram.version;
  h.telegram.sendText(userId, text);
  return h.telegram.waitFor(userId, (m) => m.version > before && m.from === "bot" && (typeof reply === "string" ? stripHtml(m.text).includes(reply) : reply.test(stripHtml(m.text))));
}

/** Confirms a question and waits for it to turn into its result. */
async function confirm(h: Harness, question: string, result: RegExp): Promise<string> {
  const asked = await confirmAsAdmin(h, question);
  const done = await h.telegram.waitFor(ADMIN_ID, (m) => m.message_id === asked.message_id && result.test(stripHtml(m.text)));
  return stripHtml(done.text);
}

/** Taps a button on a message, as this user. */
function tap(h: Harness, message: ChatMessage, label: string | RegExp, userId = ADMIN_ID): void {
  const button = message.buttons.flat().find((b) => (typeof label === "string" ? b.text.includes(label) : label.test(b.text)));
  if (!button?.callback_data) throw new Error(`no button ${String(label)} in: ${message.buttons.flat().map((b) => b.text).join(" | ")}`);
  h.telegram.tap(userId, message.message_id, button.callback_data, message.chat_id);
}

const supplierOrdered = (h: Harness, orderId: string) => h.supplier.createdByReference.has(orderId);
const botTexts = (h: Harness, chatId: number) => h.telegram.messages(chatId).filter((m) => m.from === "bot").map((m) => stripHtml(m.text));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Letters and digits only, upper-case: a code in any spelling. */
const compact = (text: string) => text.replace(/[^A-Za-z0-9]+/g, "").toUpperCase();

describe("fraud controls (Radar, shared cards, bans, disputes)", () => {
  let h: Harness;
  /** A held order of a customer banned later: a paid order the ban leaves alone, disputed before delivery. */
  let heldOfBanned: string;
  let disputedDelivered: { orderId: string; disputeId: string };

  beforeAll(async () => {
    h = await startHarness({ shop: { pipeline: { backoffBaseMs: 20 } } });
    h.customer(ADMIN_ID);
    h.customer(STRANGER);
  });
  afterAll(async () => {
    await h.close();
  });

  it("holds an elevated-risk payment before the supplier, tells the customer it is being checked (in Russian, no reasons), and delivers it once released", async () => {
    const { customer, orderId } = await buy(h, 5101, "steam-20-usd", { ...RISKY, fingerprint: "fp-risky-5101", country: "US" }, "ru");
    await waitForStatus(h, orderId, "needs_review");
    // The customer: "being checked", in their language, and not a word of why.
    await customer.expect(`Заказ ${orderId} проверяет наша команда`);
    const said = botTexts(h, customer.id).join("\n");
    expect(said).not.toMatch(/radar|risk|риск|fraud|мошенн|elevated|score|card from|fingerprint/i);
    // Ops: the alert with the reasons and the signal.
    await opsMessage(h, new RegExp(`Orders held by the fraud rules[\\s\\S]*${orderId} \\(\\$21\\.99, customer 5101\\): Radar risk elevated \\(score 72\\), at or above elevated \\(also: card from US, customer's Telegram language ru\\)`));
    // Nothing was bought: the supplier simulator has no order for it, now or a moment later.
    await sleep(400);
    expect(supplierOrdered(h, orderId)).toBe(false);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ cardFingerprint: "fp-risky-5101", riskHeldAt: expect.any(Number), supplierRequestedAt: null });

    // The admin's /order card: Radar's reading, the card, the fingerprint to ban, the hold and the country signal.
    const card = await ask(h, `/order ${orderId}`, orderId);
    const text = stripHtml(card.text);
    expect(text).toContain("🛡 Fraud check: Radar elevated (score 72), authorized · card US credit · CVC pass, address n/a");
    expect(text).toContain("Card fingerprint: fp-risky-5101");
    expect(text).toContain("⛔ Held by the fraud rules: Radar risk elevated (score 72), at or above elevated");
    expect(text).toContain("⚠️ Signals (not a hold): card from US, customer's Telegram language ru");
    expect(card.buttons.flat().map((b) => b.text)).toEqual([`✅ Release ${orderId}`, "↩ Refund"]);
    // A plain Retry or a typed code does not get round the release.
    await ask(h, `/retry ${orderId}`, `${orderId} is held by the fraud rules: Release it (/release ${orderId})`);
    await ask(h, `/code ${orderId} MANUAL-CODE-123456`, `${orderId} is held by the fraud rules`);
    expect(supplierOrdered(h, orderId)).toBe(false);

    // /review shows the same buttons; Release asks first, with the order, the amount and the reasons.
    const review = await ask(h, "/review", "In review");
    tap(h, review, `✅ Release ${orderId}`);
    const question = await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`Release order ${orderId}?`));
    expect(stripHtml(question.text)).toMatch(/Steam Wallet 20 USD × 1 · \$21\.99, paid by card \(Stripe\) · customer 5101/);
    expect(stripHtml(question.text)).toContain("⛔ Held by the fraud rules: Radar risk elevated (score 72)");
    expect(supplierOrdered(h, orderId)).toBe(false);
    const result = await confirm(h, `Release order ${orderId}?`, /released/);
    expect(result).toContain(`${orderId}: released; it goes to the supplier now, then to the customer.`);

    await waitForStatus(h, orderId, "delivered");
    expect(supplierOrdered(h, orderId)).toBe(true);
    await customer.expect(h.supplier.orderByReference(orderId)!.items[0]!.code!);
    const released = getOrderEvents(h.shop.db, orderId).find((e) => e.cause === "risk_released")!;
    expect(released).toMatchObject({ fromStatus: "needs_review", toStatus: "paid", actor: `admin:${ADMIN_ID}` });
    // Only a held order is released.
    await ask(h, `/release ${orderId}`, `${orderId} is delivered; only orders held by the fraud rules are released.`);
  });

  it("refunds a held order the admin does not trust: the refund is made at Stripe, nothing is ordered", async () => {
    const { orderId } = await buy(h, 5102, "xbox-15-usd", { risk_level: "highest", risk_score: 95 });
    await waitForStatus(h, orderId, "needs_review");
    h.telegram.sendText(ADMIN_ID, `/refund ${orderId}`);
    await confirm(h, `Refund order ${orderId}?`, /refund started/);
    await waitForStatus(h, orderId, "refunded");
    const intent = getOrder(h.shop.db, orderId)!.stripePaymentIntentId!;
    expect(h.stripe.refunds.filter((r) => r.payment_intent === intent)).toHaveLength(1);
    expect(supplierOrdered(h, orderId)).toBe(false);
    expect(getOrderEvents(h.shop.db, orderId).find((e) => e.cause === "admin_refund")!.actor).toBe(`admin:${ADMIN_ID}`);
  });

  it("holds the third Telegram account paying with one card (RISK_MAX_ACCOUNTS_PER_CARD=2), not the first two", async () => {
    const shared = { fingerprint: "fp-shared-by-three" };
    const first = await buy(h, 5111, "steam-5-usd", shared);
    const second = await buy(h, 5112, "steam-5-usd", shared);
    await waitForStatus(h, first.orderId, "delivered");
    await waitForStatus(h, second.orderId, "delivered");
    const third = await buy(h, 5113, "steam-5-usd", shared);
    await waitForStatus(h, third.orderId, "needs_review");
    expect(getOrder(h.shop.db, third.orderId)!.lastError).toBe("held by the fraud rules: the card was used by 3 Telegram accounts, over 2");
    expect(supplierOrdered(h, third.orderId)).toBe(false);
    // From then on the card is over the limit: a payment with it is held whoever makes it, the first account too.
    const again = await buy(h, 5111, "steam-10-usd", shared);
    await waitForStatus(h, again.orderId, "needs_review");
    expect(supplierOrdered(h, again.orderId)).toBe(false);
  });

  it("/ban: asks first, cancels the unpaid orders (their sessions expired), leaves the paid ones; checkout refused in Spanish; /bans; /unban", async () => {
    const held = await buy(h, 5201, "psn-25-usd", RISKY, "es");
    await waitForStatus(h, held.orderId, "needs_review");
    heldOfBanned = held.orderId;
    const unpaid = await open(h, 5201, "steam-5-usd", "es");

    const question = await ask(h, "/ban 5201 chargeback abuse", "Ban customer 5201?");
    expect(stripHtml(question.text)).toContain("Reason: chargeback abuse");
    expect(stripHtml(question.text)).toContain(`Unpaid orders to cancel: 1 (${unpaid.orderId})`);
    expect(stripHtml(question.text)).toContain(`Paid orders in progress: 1 (${held.orderId}), not touched`);
    expect(findBan(h.shop.db, "customer", "5201")).toBeUndefined();
    const result = await confirm(h, "Ban customer 5201?", /✅ Customer 5201 banned/);
    expect(result).toContain(`Customer 5201 banned: they cannot open a checkout. 1 unpaid order(s) cancelled (${unpaid.orderId}).`);
    expect(result).toContain(`Their 1 paid order(s) in progress are not touched (${held.orderId})`);

    expect(getOrder(h.shop.db, unpaid.orderId)!.status).toBe("cancelled");
    expect(getOrderEvents(h.shop.db, unpaid.orderId).at(-1)).toMatchObject({ cause: "cancelled_by_ban", actor: `admin:${ADMIN_ID}` });
    expect(h.stripe.sessions.get(unpaid.sessionId)!.status).toBe("expired");
    expect(getOrder(h.shop.db, held.orderId)!.status).toBe("needs_review");
    expect(findBan(h.shop.db, "customer", "5201")).toMatchObject({ reason: "chargeback abuse", actor: `admin:${ADMIN_ID}` });

    // The customer: a polite refusal in their language, no reason, no order.
    const ordersBefore = h.shop.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE customer_id = 5201").get() as { n: number };
    const before = h.telegram.version;
    held.customer.say("/start buy_steam-10-usd");
    await h.telegram.waitFor(5201, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
    held.customer.tap(/^🛒/);
    const refusal = await held.customer.expect("Lo sentimos, no podemos aceptar este pedido. Si crees que es un error, escribe a @shop_support.");
    expect(stripHtml(refusal.text)).not.toMatch(/ban|bloque|prohib/i);
    expect(h.shop.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE customer_id = 5201").get()).toEqual(ordersBefore);

    await ask(h, "/ban 5201 again", "Customer 5201 is already banned");
    const bans = await ask(h, "/bans", "Bans (");
    expect(stripHtml(bans.text)).toMatch(new RegExp(`👤 customer 5201 · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · admin:${ADMIN_ID} · chargeback abuse`));

    await ask(h, "/unban 5201", "Customer 5201 unbanned.");
    expect(findBan(h.shop.db, "customer", "5201")).toBeUndefined();
    const reopened = await open(h, 5201, "steam-10-usd", "es");
    expect(getOrder(h.shop.db, reopened.orderId)!.status).toBe("awaiting_payment");
    await ask(h, "/unban 5201", "Customer 5201 is not banned.");
    // Banned again (for the dispute below).
    h.telegram.sendText(ADMIN_ID, "/ban 5201");
    await confirm(h, "Ban customer 5201?", /✅ Customer 5201 banned/);
    expect(getOrder(h.shop.db, reopened.orderId)!.status).toBe("cancelled");
  });

  it("/ban card: every account that pays with it is held and banned; /unban card", async () => {
    const question = await ask(h, "/ban card fp-stolen-card-0001 stolen card", "Ban card fp-stolen-card-0001?");
    expect(stripHtml(question.text)).toContain("Accounts that paid with it: none yet");
    await confirm(h, "Ban card fp-stolen-card-0001?", /✅ Card fp-stolen-card-0001 banned/);
    expect(findBan(h.shop.db, "card", "fp-stolen-card-0001")).toMatchObject({ reason: "stolen card", actor: `admin:${ADMIN_ID}` });

    for (const customerId of [5301, 5302]) {
      const { orderId } = await buy(h, customerId, "steam-5-usd", { fingerprint: "fp-stolen-card-0001" });
      await waitForStatus(h, orderId, "needs_review");
      expect(getOrder(h.shop.db, orderId)!.lastError).toBe("held by the fraud rules: the card is banned");
      expect(supplierOrdered(h, orderId)).toBe(false);
      expect(findBan(h.shop.db, "customer", String(customerId))).toMatchObject({ reason: "paid with a banned card (stolen card)", actor: "system" });
    }
    // The card is banned for everyone; a second ban changes nothing.
    await ask(h, "/ban card fp-stolen-card-0001", "Card fp-stolen-card-0001 is already banned");
    // Unbanned, card and account: the account's payment with it goes through (two accounts on the card, the limit).
    await ask(h, "/unban card fp-stolen-card-0001", "Card fp-stolen-card-0001 unbanned.");
    await ask(h, "/unban 05301", "Customer 5301 unbanned."); // leading zeros name the same customer
    const clean = await buy(h, 5301, "steam-10-usd", { fingerprint: "fp-stolen-card-0001" });
    await waitForStatus(h, clean.orderId, "delivered");
  });

  it("a dispute on a delivered order bans its customer and card, and the alert says so; /disputes lists it with its evidence", async () => {
    const { orderId } = await buy(h, 5401, "razer-gold-10-usd", { fingerprint: "fp-disputed-card" });
    await waitForStatus(h, orderId, "delivered");
    const intent = getOrder(h.shop.db, orderId)!.stripePaymentIntentId!;
    const { dispute } = await h.stripe.openDispute(intent, { reason: "fraudulent" });
    disputedDelivered = { orderId, disputeId: dispute.id };
    await opsMessage(h, new RegExp(`${orderId}: dispute ${dispute.id} \\(fraudulent\\) for \\$\\d+\\.\\d\\d, evidence due [\\d-]+ [\\d:]+ UTC; customer 5401 and their card banned \\(RISK_BAN_ON_DISPUTE\\); the order was delivered`));
    expect(findBan(h.shop.db, "customer", "5401")).toMatchObject({ actor: "system", reason: `dispute ${dispute.id} on ${orderId}` });
    expect(findBan(h.shop.db, "card", "fp-disputed-card")).toBeDefined();

    const list = await ask(h, "/disputes", "Open disputes");
    const text = stripHtml(list.text);
    const due = new Date(dispute.evidence_details.due_by * 1000).toISOString().slice(0, 16).replace("T", " ");
    expect(text).toMatch(new RegExp(`⚖️ ${orderId} · \\$\\d+\\.\\d\\d · fraudulent\\n   due ${due} UTC \\(in 168 h\\) · needs_response · evidence not sent · ${dispute.id}`));
    expect(list.buttons.flat().map((b) => b.text)).toContain(`📎 Evidence ${orderId}`);
  });

  it("the evidence counts only orders paid before the disputed one, says how many of them were disputed, and claims nothing unrecorded", async () => {
    const first = await buy(h, 5450, "steam-10-usd", { fingerprint: "fp-evidence-card" });
    await waitForStatus(h, first.orderId, "delivered");
    const second = await buy(h, 5450, "razer-gold-10-usd", { fingerprint: "fp-evidence-card" });
    await waitForStatus(h, second.orderId, "delivered");
    const third = await buy(h, 5450, "steam-10-usd", { fingerprint: "fp-evidence-card" });
    await waitForStatus(h, third.orderId, "delivered");
    const dispute = async (orderId: string) => (await h.stripe.openDispute(getOrder(h.shop.db, orderId)!.stripePaymentIntentId!, { reason: "fraudulent" })).dispute.id;
    const firstDispute = await dispute(first.orderId);
    await waitUntil(() => getDispute(h.shop.db, firstDispute), 5_000, "the first dispute recorded");
    const secondDispute = await dispute(second.orderId);
    const row = await waitUntil(() => getDispute(h.shop.db, secondDispute), 5_000, "the second dispute recorded");
    const built = buildDisputeEvidence(h.shop.db, row, "@support");
    if (!built.ok) throw new Error(built.reason);
    expect(built.evidence.uncategorized_text).toContain("Earlier paid orders by the same customer: 1 (1 delivered, 1 disputed)");
    expect(built.evidence.uncategorized_text).toContain(first.orderId);
    expect(built.evidence.uncategorized_text).not.toContain(third.orderId);
    expect(built.evidence.communication).not.toContain("did not contact support");
  });

  it("sends the dispute's evidence after a preview and a confirmation; no code, PIN or serial in it; a second time is refused", async () => {
    const { orderId, disputeId } = disputedDelivered;
    const list = await ask(h, "/disputes", "Open disputes");
    const before = h.telegram.version;
    tap(h, list, `📎 Evidence ${orderId}`);
    // A message, or a file when it is longer than one: every field, exactly as it would be sent.
    const preview = await h.telegram.waitFor(
      ADMIN_ID,
      (m) => m.version > before && (stripHtml(m.text).startsWith(`Evidence for dispute ${disputeId}`) || m.document?.file_name === `evidence-${disputeId}.txt`),
    );
    const previewText = preview.document?.content ?? stripHtml(preview.text);
    for (const field of ["product_description:", "access_activity_log:", "uncategorized_text:", "service_date:", "customer_name:", "customer_communication (a text file):", "Order event log:"]) {
      expect(previewText).toContain(field);
    }
    expect(previewText).toContain("Telegram user 5401");
    const question = await h.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`Send this evidence to Stripe for ${disputeId}?`));
    expect(question.message_id).toBeGreaterThan(preview.message_id);
    // Nothing is sent before the Confirm.
    expect(h.stripe.disputes.get(disputeId)!.evidence_details.submission_count).toBe(0);
    expect(h.stripe.files).toHaveLength(0);

    const result = await confirm(h, `Send this evidence to Stripe for ${disputeId}?`, /sent to Stripe/);
    expect(result).toContain(`Evidence for ${disputeId} (${orderId}) sent to Stripe and submitted; the dispute is under_review now.`);
    const atStripe = h.stripe.disputes.get(disputeId)!;
    expect(atStripe.status).toBe("under_review");
    expect(atStripe.evidence_details.submission_count).toBe(1);
    const evidence = atStripe.evidence as Record<string, string>;
    expect(evidence["product_description"]).toContain("Razer Gold 10 USD");
    expect(evidence["uncategorized_text"]).toContain("Order event log:");
    expect(evidence["uncategorized_text"]).toContain("fulfilled → delivered");
    expect(evidence["access_activity_log"]).toContain(`Delivered`);
    expect(evidence["customer_communication"]).toBe(h.stripe.files[0]!.id);
    expect(h.stripe.files[0]!.body).toContain(`Messages the shop sent to Telegram user 5401 about order ${orderId}`);

    // What was sent is what the admin saw; and the order's code, PIN and serial are in none of it, in any spelling.
    const sent = `${JSON.stringify(evidence)}\n${h.stripe.files.map((f) => f.body).join("\n")}`;
    expect(previewText).toContain(evidence["product_description"]!.split("\n")[0]!);
    const item = h.supplier.orderByReference(orderId)!.items[0]!;
    expect(item.pin).toBeTruthy();
    expect(item.serial).toBeTruthy();
    for (const secret of [item.code!, item.pin!, item.serial!]) {
      expect(compact(sent)).not.toContain(compact(secret));
      expect(compact(previewText)).not.toContain(compact(secret));
    }

    // Recorded: the dispute's row, the order's log.
    expect(getDispute(h.shop.db, disputeId)).toMatchObject({ evidenceSubmittedBy: `admin:${ADMIN_ID}`, evidenceSubmittedAt: expect.any(Number), status: "under_review" });
    expect(getOrderEvents(h.shop.db, orderId).find((e) => e.cause === "dispute_evidence_submitted")).toMatchObject({ actor: `admin:${ADMIN_ID}`, detail: { dispute_id: disputeId } });

    // The old button again: refused, clearly; nothing more reaches Stripe.
    const again = h.telegram.version;
    tap(h, list, `📎 Evidence ${orderId}`);
    const refusal = await h.telegram.waitFor(ADMIN_ID, (m) => m.version > again && stripHtml(m.text).includes("was already sent"));
    expect(stripHtml(refusal.text)).toMatch(new RegExp(`Evidence for ${disputeId} was already sent \\(.* UTC by admin:${ADMIN_ID}\\); Stripe takes it once`));
    expect(h.stripe.files).toHaveLength(1);
    expect(h.stripe.disputes.get(disputeId)!.evidence_details.submission_count).toBe(1);
    const listed = await ask(h, "/disputes", "Open disputes");
    expect(stripHtml(listed.text)).toContain(`under_review · evidence sent`);
    expect(listed.buttons.flat().map((b) => b.text)).not.toContain(`📎 Evidence ${orderId}`);
  });

  it("offers no evidence for a dispute on an order that was not delivered: refund it, or accept it in Stripe", async () => {
    const intent = getOrder(h.shop.db, heldOfBanned)!.stripePaymentIntentId!;
    const { dispute } = await h.stripe.openDispute(intent, { reason: "product_not_received" });
    await waitUntil(() => getDispute(h.shop.db, dispute.id));
    const list = await ask(h, "/disputes", "Open disputes");
    expect(stripHtml(list.text)).toContain(`no evidence offered: the order is needs_review (refund it, or accept the dispute in Stripe) · ${dispute.id}`);
    expect(list.buttons.flat().map((b) => b.text)).not.toContain(`📎 Evidence ${heldOfBanned}`);
    // A hand-made tap on its evidence button explains why.
    const before = h.telegram.version;
    h.telegram.tap(ADMIN_ID, list.message_id, `ev:${dispute.id}`);
    const answer = await h.telegram.waitFor(ADMIN_ID, (m) => m.version > before && stripHtml(m.text).includes("No evidence is offered"));
    expect(stripHtml(answer.text)).toContain(`No evidence is offered for ${dispute.id}: ${heldOfBanned} is needs_review: evidence of delivery exists only for a delivered order. Refund it, or accept the dispute in the Stripe dashboard.`);
    expect(h.stripe.files).toHaveLength(1);

    // Releasing it is still the admin's call, but the question says the payment is disputed; Cancel does nothing.
    const question = await ask(h, `/release ${heldOfBanned}`, `Release order ${heldOfBanned}?`);
    expect(stripHtml(question.text)).toContain(`⚖️ Its payment is disputed (product_not_received, ${dispute.id}): a release sends the code all the same.`);
    tap(h, question, "Cancel");
    await h.telegram.waitFor(ADMIN_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("Cancelled: nothing was done."));
    expect(getOrder(h.shop.db, heldOfBanned)!.status).toBe("needs_review");
  });

  it("lists many bans in one message Telegram takes, saying how many more there are", async () => {
    for (let i = 0; i < 60; i++) addBan(h.shop.db, "card", `fp-bulk-${String(i).padStart(2, "0")}`, `reported by the bank ${"(long note) ".repeat(25)}`, `admin:${ADMIN_ID}`, Date.now() + i);
    const list = await ask(h, "/bans", "Bans (");
    const text = stripHtml(list.text);
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain("💳 card fp-bulk-59");
    expect(text).toMatch(/… and \d+ more not shown\n\n\/unban <telegram id> or \/unban card <fingerprint> lifts one\.$/);
  });

  it("gives a stranger no hint that the fraud commands exist, and their taps change nothing", async () => {
    const bansBefore = listBans(h.shop.db).total;
    for (const command of ["/ban 5101 test", "/ban card fp-risky-5101", "/unban 5201", "/bans", "/disputes", `/release ${heldOfBanned}`]) {
      const answer = await ask(h, command, /./, STRANGER);
      expect(stripHtml(answer.text)).toBe("I don't know that command. /help lists what I can do.");
    }
    for (const data of [`rl:${heldOfBanned}`, `ev:${disputedDelivered.disputeId}`]) {
      const id = h.telegram.tap(STRANGER, 1, data);
      await waitUntil(() => h.telegram.callbackAnswers.get(id));
    }
    await sleep(200);
    expect(listBans(h.shop.db).total).toBe(bansBefore);
    expect(findBan(h.shop.db, "customer", "5201")).toBeDefined();
    expect(getOrder(h.shop.db, heldOfBanned)!.status).toBe("needs_review");
    expect(botTexts(h, STRANGER).some((t) => /Release|Ban|Evidence|dispute/i.test(t))).toBe(false);
    expect(botTexts(h, OPS_CHAT_ID).some((t) => t.includes("Ban customer 5101"))).toBe(false);
  });
});

describe("fraud controls over time (a clock the test moves)", () => {
  let h: Harness;
  // Real time plus what the test adds: checkouts keep working (Stripe wants a session to live 30 minutes from its now).
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms), set: (ms: number) => void (offset = ms - Date.now()) };

  beforeAll(async () => {
    h = await startHarness({ env: { RISK_HOLD_AUTO_REFUND_HOURS: "2", MONITOR_INTERVAL_MS: "1000" }, shop: { now: clock.now, pipeline: { backoffBaseMs: 20 } } });
    h.customer(ADMIN_ID);
  });
  afterAll(async () => {
    await h.close();
  });

  it("refunds a held order nobody released after RISK_HOLD_AUTO_REFUND_HOURS, with an alert; not before", async () => {
    const { customer, orderId } = await buy(h, 5501, "steam-20-usd", RISKY);
    await waitForStatus(h, orderId, "needs_review");
    clock.advance(2 * 3_600_000 - 60_000);
    await sleep(2_200);
    expect(getOrder(h.shop.db, orderId)!.status).toBe("needs_review");
    clock.advance(120_000);
    await waitForStatus(h, orderId, "refunded");
    // The alert is in the outbox with the refund (its kind's 30 s cooldown after the hold's own alert paces its sending).
    const alerts = h.shop.db.$client.prepare("SELECT kind, text FROM alert_outbox WHERE order_id = ? AND kind = 'risk_hold' ORDER BY id").all(orderId);
    expect(alerts.at(-1)).toEqual({ kind: "risk_hold", text: `${orderId}: held by the fraud rules for over 2 h without a decision; refunded automatically` });
    const intent = getOrder(h.shop.db, orderId)!.stripePaymentIntentId!;
    expect(h.stripe.refunds.filter((r) => r.payment_intent === intent)).toHaveLength(1);
    expect(getOrderEvents(h.shop.db, orderId).find((e) => e.cause === "risk_hold_expired")).toMatchObject({ actor: "system", detail: { hours: 2 } });
    expect(supplierOrdered(h, orderId)).toBe(false);
    await customer.expect("has been refunded");
  });

  it("reminds ops two days before a dispute's evidence is due, once, and not for one already answered", async () => {
    const quiet = await buy(h, 5601, "steam-5-usd");
    const answered = await buy(h, 5602, "steam-5-usd");
    await waitForStatus(h, quiet.orderId, "delivered");
    await waitForStatus(h, answered.orderId, "delivered");
    const { dispute } = await h.stripe.openDispute(getOrder(h.shop.db, quiet.orderId)!.stripePaymentIntentId!);
    const { dispute: other } = await h.stripe.openDispute(getOrder(h.shop.db, answered.orderId)!.stripePaymentIntentId!);
    await waitUntil(() => getDispute(h.shop.db, dispute.id) && getDispute(h.shop.db, other.id));
    // The second one is answered at once.
    const list = await ask(h, "/disputes", "Open disputes");
    tap(h, list, `📎 Evidence ${answered.orderId}`);
    await confirm(h, `Send this evidence to Stripe for ${other.id}?`, /sent to Stripe/);

    const reminders = () => h.shop.db.$client.prepare("SELECT text FROM alert_outbox WHERE kind = 'dispute_due'").all() as Array<{ text: string }>;
    await sleep(1_500);
    expect(reminders()).toEqual([]);
    // Two days (less a minute) before the due date.
    clock.set(dispute.evidence_details.due_by * 1000 - 2 * 86_400_000 + 60_000);
    const message = await opsMessage(h, "Dispute evidence due soon");
    expect(stripHtml(message.text)).toContain(`${quiet.orderId}: dispute ${dispute.id} (fraudulent, $5.79) needs its evidence by`);
    expect(stripHtml(message.text)).toContain("none was sent");
    expect(stripHtml(message.text)).toContain("Open /disputes");
    await sleep(2_500);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.text).toContain(dispute.id);
    expect(h.telegram.messages(OPS_CHAT_ID).filter((m) => m.text.includes("needs its evidence by"))).toHaveLength(1);
    expect(getDispute(h.shop.db, dispute.id)!.dueAlertedAt).toEqual(expect.any(Number));
    expect(getDispute(h.shop.db, other.id)!.dueAlertedAt).toBeNull();
  });
});

describe("fraud controls for Telegram Stars (no card data)", () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it("holds a customer's second Stars payment in a day over RISK_MAX_ORDERS_PER_DAY=1, before the supplier", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stars", RISK_MAX_ORDERS_PER_DAY: "1" } });
    h.customer(ADMIN_ID);
    const starsOrder = async (sku: string) => {
      const { c, invoice, orderId } = await openStarsOrder(h, 5701, sku);
      expect((await h.telegram.payInvoice(c.id, invoice.message_id)).ok).toBe(true);
      return orderId;
    };
    const first = await starsOrder("steam-5-usd");
    await waitForStatus(h, first, "delivered");
    const second = await starsOrder("steam-10-usd");
    await waitForStatus(h, second, "needs_review");
    expect(getOrder(h.shop.db, second)!.lastError).toBe("held by the fraud rules: 2 paid orders in 24 hours, over 1");
    expect(supplierOrdered(h, second)).toBe(false);
    const card = await ask(h, `/order ${second}`, second);
    expect(stripHtml(card.text)).toContain("🛡 Fraud check: paid in Telegram Stars, no card to read (the spending rules apply)");
    expect(stripHtml(card.text)).not.toContain("Card fingerprint");
  });
});
