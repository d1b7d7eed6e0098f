// Email as the backup channel, through the real shop and a real SMTP conversation (smtp-server in the test
// process, the shop's nodemailer talking to it over loopback): a customer who blocked the bot gets the code by
// email and the order is delivered by email; EMAIL_DELIVERY=always mails a receipt; a server that says "later"
// (4xx) then takes it sends one email; one that refuses (5xx) gives up with an alert, and /resend <id> email sends
// it again; a refund notice the chat refuses goes by email; a Stars buyer's /email is confirmed with a code before
// it receives anything; and the shop killed between the claim and the send, or between the send and its commit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeSmtp, type FakeSmtp } from "../../src/sandbox/fake-smtp.js";
import { startFakeStripe } from "../../src/sandbox/fake-stripe.js";
import { startFakeTelegram, stripHtml } from "../../src/sandbox/fake-telegram.js";
import { startSupplierSimulator } from "../../src/supplier/simulator.js";
import { startReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { fakeEnv } from "../helpers/env.js";
import {
  ADMIN_ID,
  OPS_CHAT_ID,
  RELOADLY_CLIENT_ID,
  RELOADLY_CLIENT_SECRET,
  STEAM_20,
  STRIPE_SECRET,
  SUPPLIER_KEY,
  SUPPLIER_SECRET,
  TOKEN,
  confirmAsAdmin,
  openCheckoutIn,
  openOrder,
  opsMessage,
  payButton,
  reloadlyEnv,
  startHarness,
  waitForStatus,
  waitUntil,
  type Harness,
  type HarnessOptions,
} from "../helpers/harness.js";
import { freePort, spawnShop, type ShopProcess } from "../helpers/shop-process.js";

let h: Harness | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ smtp: true, shop: { pipeline: { backoffBaseMs: 20, backoffMaxMs: 200 } }, ...options });
  return h;
}

const codeOf = (harness: Harness, orderId: string) => harness.supplier.orderByReference(orderId)!.items[0]!.code!;
const mailsFor = (smtp: FakeSmtp, orderId: string) => smtp.mails.filter((mail) => mail.subject.includes(orderId) || mail.text.includes(orderId));
const outbox = (harness: Harness, orderId: string) =>
  harness.shop.db.$client.prepare<[string], { purpose: string; status: string; attempts: number; body_enc: string | null }>("SELECT purpose, status, attempts, body_enc FROM email_outbox WHERE order_id = ? ORDER BY id").all(orderId);

/** A customer opens an order, blocks the bot, and pays on Checkout with this email (null: none). */
async function blockedBuyer(harness: Harness, customerId: number, email?: string | null): Promise<string> {
  const customer = harness.customer(customerId);
  const { orderId, sessionId } = await openOrder(harness, customer, STEAM_20);
  harness.telegram.blocked.add(customerId);
  expect(await harness.stripe.completeCheckout(sessionId, email === undefined ? {} : { email })).toBe(200);
  return orderId;
}

describe("email when Telegram cannot deliver (EMAIL_DELIVERY=fallback)", () => {
  it("a customer who blocked the bot gets the code by email; the order is delivered by email and ops are told", async () => {
    const harness = await start();
    const orderId = await blockedBuyer(harness, 6101, "Alice.Buyer@Example.com");
    await waitForStatus(harness, orderId, "delivered");
    const order = getOrder(harness.shop.db, orderId)!;
    expect(order.deliveryChannel).toBe("email");
    expect(getOrderEvents(harness.shop.db, orderId).map((e) => `${e.toStatus}:${e.cause}`)).toEqual(expect.arrayContaining(["delivery_failed:telegram_refused", "delivered:sent_by_email"]));

    const [mail, ...more] = mailsFor(harness.smtp!, orderId);
    expect(more).toEqual([]);
    expect(mail!.to).toEqual(["Alice.Buyer@example.com"]);
    expect(mail!.from).toBe("shop@example.com");
    expect(mail!.subject).toBe(`Your Steam Wallet 20 USD · order ${orderId}`);
    const code = codeOf(harness, orderId);
    // Both parts: the code in a copy-friendly block, the product, the instructions, the support contact, the order.
    expect(mail!.text).toContain(`Code: ${code}`);
    expect(mail!.text).toContain("How to redeem:");
    expect(mail!.text).toContain("@shop_support");
    expect(mail!.text).toContain("We could not deliver order");
    expect(mail!.html).toMatch(new RegExp(`<code style="[^"]*user-select:all[^"]*">${code}</code>`));
    expect(mail!.html).not.toMatch(/<script/i);
    expect(mail!.messageId).toMatch(new RegExp(`^<delivery\\.${orderId}\\.\\d+@example\\.com>$`));

    const alert = await opsMessage(harness, orderId);
    expect(stripHtml(alert.text)).toContain("the code goes by email to A***@example.com");
    // The outbox kept nothing readable once the server took it.
    expect(outbox(harness, orderId)).toEqual([{ purpose: "delivery", status: "sent", attempts: 1, body_enc: null }]);
    // The code never reached a log line, nor did the address.
    const logs = harness.logs.join("");
    expect(logs).not.toContain(code);
    expect(logs.toLowerCase()).not.toContain("alice.buyer@example.com");

    // The admin sees the channel, the masked address and the email's state.
    harness.customer(ADMIN_ID);
    harness.telegram.sendText(ADMIN_ID, `/order ${orderId}`);
    const view = stripHtml((await harness.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("Delivered by"))).text);
    expect(view).toContain("Delivered by: email");
    expect(view).toContain("Email: A***@example.com (from Checkout)");
    expect(view).toMatch(/✉️ delivery: sent \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // When the customer comes back, /orders says how it reached them (and nothing is sent to the chat again).
    harness.telegram.blocked.delete(6101);
    harness.customer(6101).say("/orders");
    await harness.telegram.waitFor(6101, (m) => m.buttons.flat().some((b) => b.text.includes(`${orderId} · Steam Wallet 20 USD · $21.99 · delivered by email`)));
    const metrics = await (await fetch(`${harness.shopUrl}/metrics`)).text();
    expect(metrics).toMatch(/shop_emails_total\{purpose="delivery",outcome="sent"\} 1/);
  });

  it("a mail server that says 'try later' (451) and then takes it: one email, the order delivered", async () => {
    const harness = await start();
    harness.smtp!.failNext(2, { kind: "reply", code: 451, message: "greylisted, try again later" });
    const orderId = await blockedBuyer(harness, 6102);
    await waitForStatus(harness, orderId, "delivered");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsFor(harness.smtp!, orderId)).toHaveLength(1);
    expect(outbox(harness, orderId)).toEqual([{ purpose: "delivery", status: "sent", attempts: 3, body_enc: null }]);
    const metrics = await (await fetch(`${harness.shopUrl}/metrics`)).text();
    expect(metrics).toMatch(/shop_emails_total\{purpose="delivery",outcome="retry"\} 2/);
  });

  it("a server that refuses (550): given up with an alert, the code kept; /resend <id> email sends it once the server takes mail", async () => {
    const harness = await start();
    harness.smtp!.failNext(1, { kind: "reply", code: 550, message: "mailbox unavailable" });
    const orderId = await blockedBuyer(harness, 6103);
    const alert = await opsMessage(harness, "Emails could not be delivered");
    expect(stripHtml(alert.text)).toContain(`${orderId}: the delivery email to b***@example.com was given up (the mail server refused it: EMESSAGE 550`);
    expect(stripHtml(alert.text)).toContain(`/resend ${orderId} email`);
    expect(getOrder(harness.shop.db, orderId)!.status).toBe("delivery_failed");
    expect(outbox(harness, orderId)).toEqual([{ purpose: "delivery", status: "given_up", attempts: 1, body_enc: null }]);
    expect(mailsFor(harness.smtp!, orderId)).toHaveLength(0);

    harness.customer(ADMIN_ID);
    harness.telegram.sendText(ADMIN_ID, `/resend ${orderId} email`);
    const asked = await confirmAsAdmin(harness, `Email the codes of ${orderId} again?`);
    expect(stripHtml(asked.text)).toContain("To: b***@example.com");
    await waitForStatus(harness, orderId, "delivered");
    const [mail] = mailsFor(harness.smtp!, orderId);
    expect(mail!.text).toContain(`Code: ${codeOf(harness, orderId)}`);
    expect(mail!.text).toContain("as our support arranged");
    expect(getOrder(harness.shop.db, orderId)!.deliveryChannel).toBe("email");
    expect(getOrderEvents(harness.shop.db, orderId).map((e) => `${e.cause}:${e.actor}`)).toEqual(expect.arrayContaining(["email_given_up:email", `email_resend_queued:admin:${ADMIN_ID}`, "sent_by_email:email"]));
  });

  it("the database refusing the order's move when the email was taken: the email counts as sent once, and the order is delivered later", async () => {
    const harness = await start();
    // As a failing disk would: the move to delivered is refused (the chaos run does this at random).
    harness.shop.db.$client.exec("CREATE TRIGGER refuse_delivered BEFORE UPDATE OF status ON orders WHEN NEW.status = 'delivered' BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END");
    const orderId = await blockedBuyer(harness, 6106);
    await waitUntil(() => outbox(harness, orderId)[0]?.status === "sent", 10_000, "the email sent");
    expect(getOrder(harness.shop.db, orderId)!.status).toBe("delivery_failed");
    harness.shop.db.$client.exec("DROP TRIGGER refuse_delivered");
    harness.shop.emailSender!.wake();
    await waitForStatus(harness, orderId, "delivered");
    expect(getOrder(harness.shop.db, orderId)!.deliveryChannel).toBe("email");
    expect(mailsFor(harness.smtp!, orderId)).toHaveLength(1);
  });

  it("an order held (disputed) while its message waited for Telegram goes to review, not emailed, when Telegram then refuses it", async () => {
    // Pacing on, with a long gap per chat and no burst: the delivery waits for its slot after the checkout's messages.
    const harness = await start({ smtp: true, shop: { pacing: { privateGapMs: 5_000, privateBurst: 1 }, pipeline: { backoffBaseMs: 20, backoffMaxMs: 200 } } });
    const customer = harness.customer(6107);
    const { orderId, sessionId } = await openOrder(harness, customer, STEAM_20);
    harness.telegram.blocked.add(customer.id);
    await harness.stripe.completeCheckout(sessionId);
    await waitForStatus(harness, orderId, "fulfilled");
    await harness.stripe.openDispute(harness.stripe.sessions.get(sessionId)!.payment_intent!);
    await waitUntil(() => getOrderEvents(harness.shop.db, orderId).some((e) => e.cause === "hold:dispute"), 5_000, "the hold");
    // Telegram refuses the waiting message (the customer blocked the bot): the hold is settled as for a code never
    // sent (a dispute: review, the code kept), not left on an undeliverable order.
    await waitForStatus(harness, orderId, "needs_review");
    expect(getOrderEvents(harness.shop.db, orderId).map((e) => e.cause)).toContain("hold_resolved:dispute");
    expect(getOrderEvents(harness.shop.db, orderId).some((e) => e.toStatus === "delivery_failed")).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(outbox(harness, orderId)).toEqual([]);
    expect(mailsFor(harness.smtp!, orderId)).toHaveLength(0);
  });

  it("refunded in Stripe while its email waited for the mail server: withheld, and no resend, email or return sends the code", async () => {
    const harness = await start();
    harness.smtp!.setRule(() => ({ kind: "reply", code: 451, message: "greylisted, try again later" }));
    const customer = harness.customer(6108);
    const { orderId, sessionId } = await openOrder(harness, customer, STEAM_20);
    harness.telegram.blocked.add(customer.id);
    await harness.stripe.completeCheckout(sessionId, { email: "dave@example.com" });
    await waitForStatus(harness, orderId, "delivery_failed");
    await waitUntil(() => outbox(harness, orderId)[0]?.status === "queued" && outbox(harness, orderId)[0]!.attempts >= 1, 5_000, "a first attempt refused");
    await harness.stripe.refundInDashboard(harness.stripe.sessions.get(sessionId)!.payment_intent!);
    await waitUntil(() => getOrder(harness.shop.db, orderId)!.refundedAmount !== null, 5_000, "the refund recorded");
    harness.smtp!.setRule(undefined);
    await waitUntil(() => outbox(harness, orderId)[0]?.status === "given_up", 10_000, "the email withheld");
    const alert = await opsMessage(harness, `${orderId}: the delivery email`);
    expect(stripHtml(alert.text)).toContain("withheld: its payment was refunded in full");
    expect(stripHtml(alert.text)).not.toContain(`/resend ${orderId}`);

    harness.customer(ADMIN_ID);
    harness.telegram.sendText(ADMIN_ID, `/resend ${orderId} email`);
    await harness.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`${orderId}: the codes are not emailed: its payment was refunded in full`));
    harness.telegram.sendText(ADMIN_ID, `/resend ${orderId}`);
    await harness.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`${orderId} is not resent: its payment was refunded in full`));
    // The customer unblocks the bot: their other undelivered codes would go; this one stays.
    harness.telegram.setBlocked(customer.id, false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(getOrder(harness.shop.db, orderId)!.status).toBe("delivery_failed");
    const code = codeOf(harness, orderId);
    expect(harness.telegram.messages(customer.id).some((m) => m.text.includes(code))).toBe(false);
    expect(mailsFor(harness.smtp!, orderId)).toHaveLength(0);
  });

  it("without any address the order waits in delivery_failed as before, and the alert says no email was known", async () => {
    const harness = await start();
    const orderId = await blockedBuyer(harness, 6104, null);
    await waitForStatus(harness, orderId, "delivery_failed");
    const alert = await opsMessage(harness, orderId);
    expect(stripHtml(alert.text)).toContain("no email address is known for this customer");
    harness.customer(ADMIN_ID);
    harness.telegram.sendText(ADMIN_ID, `/resend ${orderId} email`);
    await harness.telegram.waitFor(ADMIN_ID, (m) => stripHtml(m.text).includes(`${orderId}: no email address is known`));
    expect(harness.smtp!.mails).toHaveLength(0);
  });

  it("a refund notice the chat refuses goes by email", async () => {
    const harness = await start({ smtp: true, simulator: { behaviours: { "steam-20-usd": { outcome: "fail", code: "operator_rejected" } } } });
    const orderId = await blockedBuyer(harness, 6105, "carol@example.com");
    await waitForStatus(harness, orderId, "refunded");
    const mail = await harness.smtp!.waitFor((m) => m.to.includes("carol@example.com"));
    expect(mail.subject).toBe(`Code Shop: about your order ${orderId}`);
    expect(mail.text).toContain(`We could not complete order ${orderId}, so your payment of $21.99 has been refunded`);
    await waitUntil(() => outbox(harness, orderId).some((row) => row.purpose === "refund" && row.status === "sent"), 5_000, "the refund email sent");
  });
});

describe("EMAIL_DELIVERY=always", () => {
  it("every delivery in Telegram also sends an email receipt with the code", async () => {
    const harness = await start({ smtp: true, env: { EMAIL_DELIVERY: "always" } });
    const customer = harness.customer(6201);
    const { orderId, sessionId } = await openOrder(harness, customer, STEAM_20);
    await harness.stripe.completeCheckout(sessionId, { email: "dave@example.com" });
    await customer.expect("How to redeem");
    const mail = await harness.smtp!.waitFor((m) => m.to.includes("dave@example.com"));
    expect(mail.subject).toBe(`Receipt for order ${orderId}: Steam Wallet 20 USD`);
    expect(mail.text).toContain("$21.99");
    expect(mail.text).toContain(`Code: ${codeOf(harness, orderId)}`);
    await waitUntil(() => outbox(harness, orderId)[0]?.status === "sent", 5_000, "the receipt sent");
    expect(getOrder(harness.shop.db, orderId)).toMatchObject({ status: "delivered", deliveryChannel: "telegram" });
    expect(getOrderEvents(harness.shop.db, orderId).some((e) => e.cause === "email_sent" && (e.detail as { purpose?: string }).purpose === "receipt")).toBe(true);
  });

  it("a top-up's receipt speaks of its confirmation, not of a code", async () => {
    const harness = await start({ smtp: true, env: { EMAIL_DELIVERY: "always" } });
    const c = harness.customer(6202);
    c.say("/start buy_mlbb-86-diamonds");
    await c.expect("Mobile Legends 86 Diamonds");
    c.tap("Buy for");
    await c.expect("Send the player ID");
    c.say("12345678(2345)");
    await c.expect("Please check your order");
    c.tap("Confirm");
    const checkout = await c.expect(/Order ORD-\w{8}/);
    const orderId = /ORD-\w{8}/.exec(stripHtml(checkout.text))![0];
    await harness.stripe.completeCheckout(payButton(checkout).sessionId, { email: "fay@example.com" });
    await c.expect("sent to 12345678(2345)");
    const mail = await harness.smtp!.waitFor((m) => m.to.includes("fay@example.com"));
    expect(mail.text).toContain(`Thank you for order ${orderId} ($1.99). The top-up's confirmation is below`);
    expect(mail.text).not.toContain("Your code is below");
    expect(mail.text).toContain("12345678(2345)");
  });
});

describe("/email for Stars buyers", () => {
  it("confirms an address with a mailed code (a wrong one is refused) before it ever receives a code", async () => {
    const harness = await start({ smtp: true, env: { PAYMENT_METHODS: "stripe,stars" } });
    const customer = harness.customer(6301);
    customer.say("/help");
    await customer.expect("/email: an email address for your codes");
    customer.say("/email");
    await customer.expect("Send me your email address");
    customer.say("not an address");
    await customer.expect('"not an address" is not an email address');
    customer.say("erin@example.com");
    await customer.expect("We sent a 6-digit code to erin@example.com");
    const confirmation = await harness.smtp!.waitFor((m) => m.to.includes("erin@example.com"));
    expect(confirmation.subject).toBe("Code Shop: confirm your email address");
    const code = /\b(\d{6})\b/.exec(confirmation.text)![1]!;
    expect(confirmation.html).toContain(`>${code}</code>`);
    customer.say(code === "000000" ? "111111" : "000000");
    await customer.expect("That is not the code we sent. 4 tries left.");
    customer.say(code);
    await customer.expect("erin@example.com is confirmed");
    // The confirmation code rests nowhere readable: its email's body was wiped when sent.
    await waitUntil(() => harness.shop.db.$client.prepare("SELECT body_enc FROM email_outbox WHERE purpose = 'confirm' AND status = 'sent'").get() as { body_enc: null } | undefined, 5_000, "the confirmation sent");
    customer.say("/email");
    await customer.expect("Your email for codes: e***@example.com (confirmed)");

    // A Stars order, and the customer blocks the bot: the code goes to the confirmed address.
    const { orderId } = await openOrder(harness, customer, STEAM_20);
    customer.tap(/^⭐/);
    const invoice = await harness.telegram.waitFor(customer.id, (m) => Boolean(m.invoice));
    harness.telegram.blocked.add(customer.id);
    await harness.telegram.payInvoice(customer.id, invoice.message_id);
    await waitForStatus(harness, orderId, "delivered");
    const mail = await harness.smtp!.waitFor((m) => m.subject.includes(orderId));
    expect(mail.to).toEqual(["erin@example.com"]);
    expect(mail.text).toContain(`Code: ${codeOf(harness, orderId)}`);
  });

  it("an address never confirmed receives no code", async () => {
    const harness = await start({ smtp: true, env: { PAYMENT_METHODS: "stripe,stars" } });
    const customer = harness.customer(6302);
    customer.say("/email frank@example.com");
    await customer.expect("We sent a 6-digit code to frank@example.com");
    await harness.smtp!.waitFor((m) => m.to.includes("frank@example.com"));
    const { orderId } = await openOrder(harness, customer, STEAM_20);
    customer.tap(/^⭐/);
    const invoice = await harness.telegram.waitFor(customer.id, (m) => Boolean(m.invoice));
    harness.telegram.blocked.add(customer.id);
    await harness.telegram.payInvoice(customer.id, invoice.message_id);
    await waitForStatus(harness, orderId, "delivery_failed");
    expect(stripHtml((await opsMessage(harness, orderId)).text)).toContain("no email address is known");
    expect(harness.smtp!.mails.filter((m) => m.to.includes("frank@example.com"))).toHaveLength(1); // the confirmation only
  });
});

describe("emails across a crash of the shop process", () => {
  /** The real shop as its own process, a blocked customer paying with Checkout's email; returns what the test needs. */
  async function crashable() {
    const dir = mkdtempSync(join(tmpdir(), "shop-email-"));
    const telegram = await startFakeTelegram({ token: TOKEN });
    telegram.addGroup(OPS_CHAT_ID);
    const stripe = await startFakeStripe({ webhookSecret: STRIPE_SECRET });
    const supplier = await startSupplierSimulator({ apiKey: SUPPLIER_KEY, webhookSecret: SUPPLIER_SECRET });
    const reloadly = await startReloadlySimulator({ clientId: RELOADLY_CLIENT_ID, clientSecret: RELOADLY_CLIENT_SECRET });
    const smtp = await startFakeSmtp();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close(), smtp.close()]).then(() => undefined));
    const port = await freePort();
    const dbPath = join(dir, "shop.sqlite");
    const env = {
      ...process.env,
      ...fakeEnv(
        { telegramRoot: telegram.apiRoot, stripeUrl: stripe.url, supplierUrl: supplier.url },
        { DATABASE_PATH: dbPath, HTTP_PORT: String(port), CATALOG_PATH: join(process.cwd(), "catalog.example.json"), ...reloadlyEnv(reloadly), SMTP_URL: smtp.url, EMAIL_FROM: "Test Shop <shop@example.com>", EMAIL_RETRY_BASE_MS: "200" },
      ),
    };
    stripe.setWebhookUrl(`http://127.0.0.1:${port}/webhooks/stripe`);
    const logFile = join(dir, "shop.log");
    const shop = { current: await spawnShop(env, { cwd: dir, logFile }) as ShopProcess };
    cleanups.push(() => shop.current.kill("SIGKILL"));
    const db = new Database(dbPath, { readonly: true });
    cleanups.push(() => void db.close());
    const email = () => db.prepare("SELECT status, attempts FROM email_outbox WHERE purpose = 'delivery'").get() as { status: string; attempts: number } | undefined;
    const status = (orderId: string) => (db.prepare("SELECT status FROM orders WHERE id = ?").get(orderId) as { status: string } | undefined)?.status;

    const customer = 6401;
    const { orderId, sessionId } = await openCheckoutIn(telegram, customer);
    telegram.blocked.add(customer);
    const pay = () => stripe.completeCheckout(sessionId, { email: "grace@example.com" });
    /** SIGKILL, then (with the process dead) `meanwhile`, then a new shop process on the same database. */
    const restart = async (meanwhile?: () => void) => {
      await shop.current.kill("SIGKILL");
      meanwhile?.();
      shop.current = await spawnShop(env, { cwd: dir, logFile });
    };
    return { smtp, orderId, pay, restart, email, status, mails: () => smtp.mails.filter((m) => m.to.includes("grace@example.com")) };
  }

  it("killed after claiming the email and before sending it: after the restart the mail goes, once", async () => {
    const run = await crashable();
    // The mail server takes connections but never greets: the shop's send is stuck after its claim.
    run.smtp.hangOnConnect(true);
    await run.pay();
    await waitUntil(() => run.email()?.status === "sending", 15_000, "the email claimed");
    await run.restart(() => run.smtp.hangOnConnect(false));
    await waitUntil(() => run.status(run.orderId) === "delivered", 20_000, `${run.orderId} delivered by email`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(run.mails()).toHaveLength(1);
    expect(run.email()).toMatchObject({ status: "sent", attempts: 2 });
  }, 60_000);

  it("killed after the server took the email and before the commit: the documented window, one duplicate with the same Message-ID", async () => {
    const run = await crashable();
    // The server takes the message and holds its answer: the shop is killed before it hears the 250.
    run.smtp.failNext(1, { kind: "hold" });
    await run.pay();
    await waitUntil(() => run.mails().length === 1 && run.email()?.status === "sending", 15_000, "the email in the server, unanswered");
    await run.restart();
    await waitUntil(() => run.status(run.orderId) === "delivered", 20_000, `${run.orderId} delivered by email`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const copies = run.mails();
    expect(copies).toHaveLength(2);
    expect(copies[1]!.messageId).toBe(copies[0]!.messageId);
  }, 60_000);
});
