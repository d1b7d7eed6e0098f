// Starts the real shop (createShop: real bot, HTTP server, worker, SQLite file) against local fakes over
// HTTP: the fake Bot API, the supplier simulator, the Reloadly simulator and the fake Stripe API. Tests then
// read like a chat.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createShop, type Shop, type ShopOptions } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { startFakeSmtp, type FakeSmtp } from "../../src/sandbox/fake-smtp.js";
import { startFakeStripe, type FakeStripe } from "../../src/sandbox/fake-stripe.js";
import { startFakeTelegram, stripHtml, type ChatMessage, type FakeTelegram } from "../../src/sandbox/fake-telegram.js";
import { startSupplierSimulator, type SimulatorOptions, type SupplierSimulator } from "../../src/supplier/simulator.js";
import { startReloadlySimulator, type ReloadlySimulator, type ReloadlySimulatorOptions } from "../../src/supplier/reloadly/simulator.js";

export const TOKEN = "123456:TEST-token-for-the-fake-bot-api";
export const OPS_CHAT_ID = -1001234567890;
export const ADMIN_ID = 42;
export const SUPPLIER_KEY = "sim-key-123";
export const SUPPLIER_SECRET = "supplier-webhook-secret-0123456789";
export const STRIPE_SECRET = "whsec_test_secret_for_signatures";
export const ENCRYPTION_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
export const RELOADLY_CLIENT_ID = "reloadly-test-client";
export const RELOADLY_CLIENT_SECRET = "reloadly-test-secret";

export interface Harness {
  shop: Shop;
  telegram: FakeTelegram;
  stripe: FakeStripe;
  supplier: SupplierSimulator;
  reloadly: ReloadlySimulator;
  /** The mail server the shop sends to (SMTP_URL), with the `smtp` option. */
  smtp: FakeSmtp | undefined;
  dir: string;
  dbPath: string;
  logs: string[];
  shopUrl: string;
  customer(id: number, language?: string): Customer;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface Customer {
  id: number;
  say(text: string): void;
  /** Taps the button with this label (or label part) on the bot's newest message that has it. */
  tap(label: string | RegExp): ChatMessage;
  /** Waits for a bot message whose text (HTML stripped) matches. */
  expect(pattern: string | RegExp, timeoutMs?: number): Promise<ChatMessage>;
  messages(): ChatMessage[];
  lastBotMessage(): ChatMessage | undefined;
}

export interface HarnessOptions {
  shop?: ShopOptions;
  simulator?: Partial<SimulatorOptions>;
  reloadly?: Partial<ReloadlySimulatorOptions>;
  env?: Record<string, string>;
  /** A real SMTP server in the test process (src/sandbox/fake-smtp.ts), the shop's SMTP_URL pointing at it. */
  smtp?: boolean;
}

/** The environment that points a shop at a Reloadly simulator. */
export function reloadlyEnv(reloadly: ReloadlySimulator): Record<string, string> {
  return {
    RELOADLY_CLIENT_ID,
    RELOADLY_CLIENT_SECRET,
    RELOADLY_AUTH_URL: reloadly.authUrl,
    RELOADLY_GIFTCARDS_URL: reloadly.giftcardsUrl,
    RELOADLY_TOPUPS_URL: reloadly.topupsUrl,
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "shop-test-"));
  const dbPath = join(dir, "shop.sqlite");
  const telegram = await startFakeTelegram({ token: TOKEN });
  telegram.addGroup(OPS_CHAT_ID);
  const stripe = await startFakeStripe({ webhookSecret: STRIPE_SECRET });
  const supplier = await startSupplierSimulator({ apiKey: SUPPLIER_KEY, webhookSecret: SUPPLIER_SECRET, webhookRetryScale: 0.001, ...options.simulator });
  const reloadly = await startReloadlySimulator({ clientId: RELOADLY_CLIENT_ID, clientSecret: RELOADLY_CLIENT_SECRET, ...options.reloadly });
  const smtp = options.smtp ? await startFakeSmtp() : undefined;
  const logs: string[] = [];
  const env = {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ADMIN_USER_IDS: String(ADMIN_ID),
    OPS_CHAT_ID: String(OPS_CHAT_ID),
    STRIPE_SECRET_KEY: "sk_test_fake",
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    STRIPE_API_URL: stripe.url,
    SUPPLIER_API_URL: supplier.url,
    SUPPLIER_API_KEY: SUPPLIER_KEY,
    SUPPLIER_WEBHOOK_SECRET: SUPPLIER_SECRET,
    SUPPLIER_TIMEOUT_MS: "2000",
    DATABASE_PATH: dbPath,
    HTTP_PORT: "0",
    HTTP_HOST: "127.0.0.1",
    CATALOG_PATH: "catalog.example.json",
    SUPPORT_CONTACT: "@shop_support",
    CODE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    LOG_LEVEL: "debug",
    // The fraud rules on spending would hold the many orders tests make for one customer: tests of other features
    // keep them off (test/e2e/fraud.test.ts turns them on); Radar's level and card sharing stay on.
    RISK_NEW_CUSTOMER_MAX: "off",
    RISK_MAX_ORDERS_PER_DAY: "off",
    RISK_MAX_VALUE_PER_DAY: "off",
    ...reloadlyEnv(reloadly),
    ...(smtp ? { SMTP_URL: smtp.url, EMAIL_FROM: "Test Shop <shop@example.com>", EMAIL_RETRY_BASE_MS: "100" } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  // Pacing off unless a test asks for it: tests count messages, and a second per chat would only slow them.
  const build = () => createShop(config, { logDestination: logStream, alertGatherMs: 50, workerIdleMs: 100, pacing: false, ...options.shop });

  const harness: Harness = {
    shop: build(),
    telegram,
    stripe,
    supplier,
    reloadly,
    smtp,
    dir,
    dbPath,
    logs,
    shopUrl: "",
    customer(id, language = "en") {
      telegram.addUser({ id, first_name: `Customer${id}`, language_code: language });
      return {
        id,
        say: (text) => void telegram.sendText(id, text),
        tap(label) {
          const messages = telegram.messages(id).filter((m) => m.from === "bot" && !m.deleted);
          for (const message of [...messages].reverse()) {
            for (const button of message.buttons.flat()) {
              const hit = typeof label === "string" ? button.text.includes(label) : label.test(button.text);
              if (hit && button.callback_data) {
                telegram.tap(id, message.message_id, button.callback_data);
                return message;
              }
            }
          }
          throw new Error(`no button "${String(label)}" in chat ${id}; buttons: ${messages.flatMap((m) => m.buttons.flat().map((b) => b.text)).join(" | ")}`);
        },
        expect: (pattern, timeoutMs) =>
          telegram.waitFor(id, (m) => (typeof pattern === "string" ? stripHtml(m.text).includes(pattern) : pattern.test(stripHtml(m.text))), timeoutMs),
        messages: () => telegram.messages(id),
        lastBotMessage: () => telegram.messages(id).filter((m) => m.from === "bot").at(-1),
      };
    },
    async restart() {
      await harness.shop.stop();
      harness.shop = build();
      await harness.shop.start();
      const url = `http://127.0.0.1:${harness.shop.port}`;
      harness.shopUrl = url;
      stripe.setWebhookUrl(`${url}/webhooks/stripe`);
      supplier.setWebhookUrl(`${url}/webhooks/supplier`);
    },
    async close() {
      await harness.shop.stop().catch(() => undefined);
      await Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close(), smtp?.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await harness.shop.start();
  harness.shopUrl = `http://127.0.0.1:${harness.shop.port}`;
  stripe.setWebhookUrl(`${harness.shopUrl}/webhooks/stripe`);
  supplier.setWebhookUrl(`${harness.shopUrl}/webhooks/supplier`);
  return harness;
}

/** The Pay URL button of a message, and the Checkout Session id it opens. */
export function payButton(message: ChatMessage): { url: string; sessionId: string } {
  const button = message.buttons.flat().find((b) => b.url);
  if (!button?.url) throw new Error(`no Pay button in: ${stripHtml(message.text)}`);
  return { url: button.url, sessionId: button.url.split("/").at(-1)! };
}

export async function waitUntil<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A path of button labels from the catalog to a product card, e.g. ["Gift cards", "Steam Wallet ·", "Steam Wallet 20 USD"]. */
export type ProductPath = readonly string[];

/** Waits for a bot message in the chat that carries a button with this label. */
export function withButton(h: Harness, chatId: number, label: string | RegExp): Promise<ChatMessage> {
  return h.telegram.waitFor(chatId, (m) => m.buttons.flat().some((b) => (typeof label === "string" ? b.text.includes(label) : label.test(b.text))));
}

/** Browses to a product, taps Buy (and 1 for the quantity when asked); returns the order and its Checkout Session (any language). */
export async function openOrder(h: Harness, customer: Customer, path: ProductPath, quantity = 1): Promise<{ orderId: string; sessionId: string }> {
  let seen = h.telegram.version;
  customer.say(path[0]!.startsWith("/") ? path[0]! : "/start");
  for (const label of path.filter((step) => !step.startsWith("/"))) {
    const at = seen;
    await h.telegram.waitFor(customer.id, (m) => m.version > at && m.buttons.flat().some((b) => b.text.includes(label)));
    seen = h.telegram.version;
    customer.tap(label);
  }
  const at = seen;
  await h.telegram.waitFor(customer.id, (m) => m.version > at && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
  const before = h.telegram.version;
  customer.tap(/^🛒/);
  const next = await h.telegram.waitFor(customer.id, (m) => m.version > before && m.buttons.flat().some((b) => b.url || b.callback_data?.startsWith("q:")));
  if (next.buttons.flat().some((b) => b.callback_data?.startsWith("q:"))) customer.tap(`${quantity} ×`);
  const checkout = await h.telegram.waitFor(customer.id, (m) => m.version > before && /ORD-\w{8}/.test(m.text) && m.buttons.flat().some((b) => b.url));
  return { orderId: /ORD-\w{8}/.exec(stripHtml(checkout.text))![0], sessionId: payButton(checkout).sessionId };
}

/** A Stars-only shop: a customer opens a product by its deep link, taps Buy (and 1 when asked); returns the invoice. */
export async function openStarsOrder(h: Harness, customerId: number, sku: string): Promise<{ c: Customer; invoice: ChatMessage; orderId: string }> {
  const c = h.customer(customerId);
  const before = h.telegram.version;
  c.say(`/start buy_${sku}`);
  await h.telegram.waitFor(c.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
  c.tap(/^🛒/);
  const next = await h.telegram.waitFor(c.id, (m) => m.version > before && (Boolean(m.invoice) || m.buttons.flat().some((b) => b.callback_data === "q:1")));
  if (!next.invoice) c.tap("1 ×");
  const invoice = await h.telegram.waitFor(c.id, (m) => m.version > before && Boolean(m.invoice));
  return { c, invoice, orderId: (invoice.invoice as { payload: string }).payload };
}

/**
 * For a shop run as its own process (no harness): a new customer opens Steam 20 by its deep link, takes 1 and gets
 * the checkout message; returns the order id and the Checkout Session to pay.
 */
export async function openCheckoutIn(telegram: FakeTelegram, customerId: number, name = "Crash"): Promise<{ orderId: string; sessionId: string }> {
  telegram.addUser({ id: customerId, first_name: name });
  let since = telegram.version;
  telegram.sendText(customerId, "/start buy_steam-20-usd");
  const card = await telegram.waitFor(customerId, (m) => m.version > since && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
  since = telegram.version;
  telegram.tap(customerId, card.message_id, card.buttons.flat().find((b) => b.text.startsWith("🛒"))!.callback_data!);
  const quantity = await telegram.waitFor(customerId, (m) => m.version > since && m.buttons.flat().some((b) => b.callback_data === "q:1"));
  since = telegram.version;
  telegram.tap(customerId, quantity.message_id, "q:1");
  const checkout = await telegram.waitFor(customerId, (m) => m.version > since && m.buttons.flat().some((b) => b.url));
  return { orderId: /ORD-[0-9A-Z]{8}/.exec(stripHtml(checkout.text))![0], sessionId: payButton(checkout).sessionId };
}

/** Opens and pays an order; returns its id. */
export async function paidOrder(h: Harness, customerId: number, path: ProductPath, language = "en"): Promise<string> {
  const customer = h.customer(customerId, language);
  const { orderId, sessionId } = await openOrder(h, customer, path);
  const status = await h.stripe.completeCheckout(sessionId);
  if (status !== 200) throw new Error(`webhook answered ${status}`);
  return orderId;
}

export const STEAM_20: ProductPath = ["Gift cards", "Steam Wallet ·", "Steam Wallet 20 USD"];
export const STEAM_50: ProductPath = ["Gift cards", "Steam Wallet ·", "Steam Wallet 50 USD"];
export const RAZER_10: ProductPath = ["Game credits", "Razer Gold 10 USD"];

export function statusOf(h: Harness, orderId: string): string | undefined {
  return h.shop.db.$client.prepare<[string], { status: string }>("SELECT status FROM orders WHERE id = ?").get(orderId)?.status;
}

export function waitForStatus(h: Harness, orderId: string, status: string, timeoutMs = 10_000): Promise<true> {
  return waitUntil(() => statusOf(h, orderId) === status || undefined, timeoutMs, `${orderId} to be ${status} (is ${statusOf(h, orderId)})`);
}

/** Waits for a message in the ops chat whose text matches. */
export function opsMessage(h: Harness, pattern: string | RegExp, timeoutMs = 10_000): Promise<ChatMessage> {
  return h.telegram.waitFor(OPS_CHAT_ID, (m) => (typeof pattern === "string" ? stripHtml(m.text).includes(pattern) : pattern.test(stripHtml(m.text))), timeoutMs);
}

/**
 * An admin answers "Are you sure?": waits for the question in the chat (a message with a Confirm button whose
 * text matches) and taps Confirm.
 */
export async function confirmAsAdmin(h: Harness, question: string | RegExp, chatId = ADMIN_ID, userId = ADMIN_ID): Promise<ChatMessage> {
  const asked = await h.telegram.waitFor(
    chatId,
    (m) => m.buttons.flat().some((b) => b.callback_data?.startsWith("cf:")) && (typeof question === "string" ? stripHtml(m.text).includes(question) : question.test(stripHtml(m.text))),
  );
  const button = asked.buttons.flat().find((b) => b.callback_data?.startsWith("cf:"))!;
  h.telegram.tap(userId, asked.message_id, button.callback_data!, chatId);
  return asked;
}

/**
 * A user types in a chat (their private chat, or `chatId`: the ops chat), optionally as a reply, and waits for the
 * bot's next message there (new or edited) whose text matches.
 */
export function askBot(h: Harness, userId: number, text: string, reply: string | RegExp, options: { chatId?: number; replyTo?: number } = {}): Promise<ChatMessage> {
  const chatId = options.chatId ?? userId;
  const before = h.telegram.version;
  h.telegram.sendText(userId, text, options);
  return h.telegram.waitFor(chatId, (m) => m.version > before && (typeof reply === "string" ? stripHtml(m.text).includes(reply) : reply.test(stripHtml(m.text))));
}

/** A user taps a button's callback data on a message (in a chat) and waits for the callback's answer. */
export async function tapAndWait(h: Harness, userId: number, message: ChatMessage, data: string): Promise<{ text?: string; show_alert?: boolean }> {
  const id = h.telegram.tap(userId, message.message_id, data, message.chat_id);
  return waitUntil(() => h.telegram.callbackAnswers.get(id), 10_000, `an answer to ${data}`);
}

/** The callback data of the button whose label contains `label` on a message. */
export function buttonData(message: ChatMessage, label: string | RegExp): string {
  const button = message.buttons.flat().find((b) => (typeof label === "string" ? b.text.includes(label) : label.test(b.text)));
  if (!button?.callback_data) throw new Error(`no button "${String(label)}" on: ${stripHtml(message.text)} (${message.buttons.flat().map((b) => b.text).join(" | ")})`);
  return button.callback_data;
}
