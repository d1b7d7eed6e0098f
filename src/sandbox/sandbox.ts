// The offline sandbox: the real shop (createShop: same bot, HTTP server, worker, database code) wired to
// local stand-ins (a Bot API, Stripe, the generic supplier simulator, the Reloadly simulator) and a little of
// its own stock, with a web chat and a checkout page on the shop's own port. Nothing in the bot, the worker
// or the webhook handlers knows it is in a sandbox.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { createShop, type Shop } from "../app.js";
import { parseEmailAddress } from "../email/address.js";
import { getOrder } from "../orders/repository.js";
import { loadConfig } from "../config.js";
import { getCustomer } from "../customers/repository.js";
import { escapeHtml } from "../lib/html.js";
import { nearestLocale, SHIPPED_LOCALES } from "../lib/locales.js";
import { readRawBody, sendJson } from "../http/server.js";
import { startSupplierSimulator, type SupplierSimulator } from "../supplier/simulator.js";
import { SIMULATOR_CATALOG } from "../supplier/simulator-catalog.js";
import { startReloadlySimulator, type ReloadlySimApi, type ReloadlySimulator } from "../supplier/reloadly/simulator.js";
import { describeSource, sourcesOf } from "../supplier/sources.js";
import { parseStockFile } from "../supplier/stock/parse.js";
import { importStock, stockCounts } from "../supplier/stock/store.js";
import { refreshStockAvailability } from "../catalog/stock-availability.js";
import { products } from "../db/schema.js";
import { createCodeCipher, createCodeFingerprinter } from "../lib/crypto.js";
import { startFakeSmtp, type FakeSmtp } from "./fake-smtp.js";
import { startFakeStripe, type FakeStripe } from "./fake-stripe.js";
import { startFakeTelegram, type FakeTelegram } from "./fake-telegram.js";
import { BEHAVIOUR_PRESETS, RELOADLY_PRESETS, SANDBOX_BEHAVIOURS, SANDBOX_RELOADLY_BEHAVIOURS } from "./presets.js";
import { CHAT_PAGE } from "./web/chat-page.js";
import { checkoutLocale, checkoutPage } from "./web/checkout-page.js";

export const SANDBOX_OPS_CHAT_ID = -100_100;
/** The sandbox pages' icon: a shopping bag on the web chat's blue. */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#2b5278"/>' +
  '<path d="M16 24h32l-3 28H19z" fill="#5eb5f7"/><path d="M24 24v-4a8 8 0 0 1 16 0v4" fill="none" stroke="#e9edf1" stroke-width="4"/></svg>';
export const SANDBOX_ADMIN_ID = 1;
const SANDBOX_TOKEN = "100000:SANDBOX-offline-token-not-for-telegram";

export interface SandboxOptions {
  /** The environment to read (HTTP_PORT, SANDBOX_DATABASE_PATH, CATALOG_PATH, LOG_LEVEL, SMTP_URL, EMAIL_FROM, EMAIL_DELIVERY). */
  env?: NodeJS.ProcessEnv;
  /** Print the banner (the CLI does; tests do not). */
  banner?: boolean;
}

export interface Sandbox {
  shop: Shop;
  telegram: FakeTelegram;
  stripe: FakeStripe;
  supplier: SupplierSimulator;
  reloadly: ReloadlySimulator;
  /** The sandbox's own mail server (the Mailbox panel), unless SMTP_URL points elsewhere. */
  smtp: FakeSmtp | undefined;
  url: string;
  stop(): Promise<void>;
}

/** A few codes of the shop's own stock, so that stock-only products sell and the failover can be watched. */
const SANDBOX_STOCK: Record<string, number> = { "spotify-10-usd": 8, "amazon-us-25": 2, "netflix-15-usd": 3 };

/** The key that encrypts the sandbox's codes: kept beside its database so old orders stay readable. */
function sandboxKey(databasePath: string): string {
  const file = `${databasePath}.key`;
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const key = randomBytes(32).toString("hex");
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const env = options.env ?? process.env;
  if (env["BOT_TOKEN"]) throw new Error("BOT_TOKEN is set: the sandbox never runs with a real bot token. Unset it to start the sandbox.");
  const databasePath = env["SANDBOX_DATABASE_PATH"] || "./data/sandbox.sqlite";
  if (env["DATABASE_PATH"] && resolve(env["DATABASE_PATH"]) === resolve(databasePath)) {
    throw new Error("SANDBOX_DATABASE_PATH is the production DATABASE_PATH: the sandbox keeps its data in its own file.");
  }

  const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
  const supplierKey = randomBytes(12).toString("hex");
  const supplierSecret = randomBytes(16).toString("hex");
  const telegram = await startFakeTelegram({ token: SANDBOX_TOKEN });
  telegram.addGroup(SANDBOX_OPS_CHAT_ID);
  telegram.addUser({ id: SANDBOX_ADMIN_ID, first_name: "Admin" });
  const stripe = await startFakeStripe({ webhookSecret });
  const supplier = await startSupplierSimulator({
    apiKey: supplierKey,
    webhookSecret: supplierSecret,
    balance: { amount: 25_000_00, currency: "USD" },
    behaviours: Object.fromEntries(Object.entries(SANDBOX_BEHAVIOURS).map(([sku, preset]) => [sku, BEHAVIOUR_PRESETS[preset]!.behaviour])),
  });
  const presetOf = new Map<string, string>(Object.entries(SANDBOX_BEHAVIOURS));
  const reloadlyClient = { id: `sandbox-${randomBytes(6).toString("hex")}`, secret: randomBytes(16).toString("hex") };
  const reloadlyPresetOf = new Map<string, string>(Object.entries(SANDBOX_RELOADLY_BEHAVIOURS));
  const behaviourOf = (api: ReloadlySimApi) =>
    Object.fromEntries([...reloadlyPresetOf].filter(([key]) => key.startsWith(`${api}:`)).map(([key, preset]) => [Number(key.split(":")[1]), RELOADLY_PRESETS[preset]!.behaviour]));
  const reloadly = await startReloadlySimulator({
    clientId: reloadlyClient.id,
    clientSecret: reloadlyClient.secret,
    balance: { amount: 5_000_00, currency: "USD" },
    giftCardBehaviours: behaviourOf("giftcards"),
    topupBehaviours: behaviourOf("topups"),
  });

  // Email goes to a mail server on this machine, whose mailbox the web page shows, unless SMTP_URL says otherwise.
  const smtp = env["SMTP_URL"] ? undefined : await startFakeSmtp();

  const config = loadConfig({
    BOT_TOKEN: SANDBOX_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ADMIN_USER_IDS: String(SANDBOX_ADMIN_ID),
    OPS_CHAT_ID: String(SANDBOX_OPS_CHAT_ID),
    // Both ways to pay: Stripe's page (the checkout page stands in for it) and Telegram Stars (the web chat's Pay
    // button on an invoice stands in for Telegram's payment form).
    PAYMENT_METHODS: "stripe,stars",
    STRIPE_SECRET_KEY: "sk_test_sandbox",
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: stripe.url,
    SUPPLIER_API_URL: supplier.url,
    SUPPLIER_API_KEY: supplierKey,
    SUPPLIER_WEBHOOK_SECRET: supplierSecret,
    RELOADLY_CLIENT_ID: reloadlyClient.id,
    RELOADLY_CLIENT_SECRET: reloadlyClient.secret,
    RELOADLY_AUTH_URL: reloadly.authUrl,
    RELOADLY_GIFTCARDS_URL: reloadly.giftcardsUrl,
    RELOADLY_TOPUPS_URL: reloadly.topupsUrl,
    SUPPLIER_TIMEOUT_MS: "8000",
    // Shorter than production so that polling and its give-up can be watched in a minute.
    SUPPLIER_POLL_INTERVAL_MS: "10000",
    SUPPLIER_POLL_WINDOW_MS: "60000",
    SUPPLIER_DAILY_SPEND: "500000",
    MONITOR_INTERVAL_MS: "15000",
    DATABASE_PATH: databasePath,
    CODE_ENCRYPTION_KEY: sandboxKey(databasePath),
    HTTP_PORT: env["HTTP_PORT"] || "3000",
    HTTP_HOST: env["HTTP_HOST"] || "127.0.0.1",
    CATALOG_PATH: env["CATALOG_PATH"] || "./catalog.example.json",
    SUPPORT_CONTACT: "@sandbox_support",
    SHOP_NAME: env["SHOP_NAME"] || "Code Shop (sandbox)",
    LOG_LEVEL: env["LOG_LEVEL"] || "warn",
    SMTP_URL: env["SMTP_URL"] || smtp!.url,
    EMAIL_FROM: env["EMAIL_FROM"] || "Code Shop (sandbox) <shop@sandbox.example>",
    // Every purchase mails a receipt, so the Mailbox shows what customers get; a blocked bot mails the code instead.
    EMAIL_DELIVERY: env["EMAIL_DELIVERY"] || "always",
    EMAIL_RETRY_BASE_MS: "5000",
  });

  let baseUrl = "";
  let page = "";
  let nextCustomerId = 100_001;

  /** t.me deep links (Stripe's success and cancel URLs) open the web chat, which sends /start <param>. */
  function toChat(url: string): string {
    const start = /[?&]start=([A-Za-z0-9_-]{1,64})/.exec(url)?.[1];
    return start ? `/?start=${start}` : "/";
  }

  async function waitForState(since: number): Promise<void> {
    if (telegram.version !== since) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(finish, 25_000);
      const off = telegram.onChange(finish);
      function finish() {
        clearTimeout(timer);
        off();
        done();
      }
    });
  }

  const sendSchema = z.object({ chatId: z.number().int(), userId: z.number().int(), text: z.string().min(1).max(4096), replyTo: z.number().int().optional() });
  const documentSchema = z.object({ chatId: z.number().int(), userId: z.number().int(), fileName: z.string().min(1).max(128), content: z.string().max(2_000_000), caption: z.string().max(1024).optional() });
  const payInvoiceSchema = z.object({ userId: z.number().int(), messageId: z.number().int() });
  const blockSchema = z.object({ userId: z.number().int().positive(), blocked: z.boolean() });
  const tapSchema = z.object({ chatId: z.number().int(), userId: z.number().int(), messageId: z.number().int(), data: z.string().min(1).max(64) });

  async function routes(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const path = url.pathname;
    const json = async () => JSON.parse((await readRawBody(req)).toString("utf8") || "{}") as unknown;
    if (req.method === "GET" && path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
      return true;
    }
    if (req.method === "GET" && path === "/sandbox/api/state") {
      await waitForState(Number(url.searchParams.get("since") ?? -1));
      // Each customer with the language the shop speaks to them (chosen with /language, or from Telegram's).
      const customers = [...telegram.users()]
        .filter((user) => user.id > SANDBOX_ADMIN_ID)
        .map((user) => ({ ...user, language: getCustomer(shop.db, user.id)?.language ?? nearestLocale(user.language_code) }));
      const chats = Object.fromEntries([...customers.map((c) => c.id), SANDBOX_OPS_CHAT_ID].map((id) => [id, telegram.messages(id)]));
      sendJson(res, 200, { version: telegram.version, customers, chats });
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/customers") {
      const body = z.object({ id: z.number().int().positive().optional(), language: z.enum(SHIPPED_LOCALES).optional() }).parse(await json());
      const id = body.id ?? nextCustomerId++;
      const names = ["Alice", "Boris", "Carmen", "Dmitri", "Emeka", "Fatima", "Giulia", "Hiro"];
      // A customer the shop already knows (the page remembers one across a restart) keeps their language.
      const language = getCustomer(shop.db, id)?.language ?? body.language ?? "en";
      // As Telegram reports it: "pt-br", not "pt-BR".
      const user = { id, first_name: `${names[id % names.length]} ${id}`, language_code: language.toLowerCase() };
      telegram.addUser(user);
      nextCustomerId = Math.max(nextCustomerId, id + 1);
      sendJson(res, 200, user);
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/send") {
      const body = sendSchema.parse(await json());
      telegram.sendText(body.userId, body.text, { chatId: body.chatId, ...(body.replyTo !== undefined ? { replyTo: body.replyTo } : {}) });
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/document") {
      const body = documentSchema.parse(await json());
      telegram.sendDocument(body.userId, { fileName: body.fileName, content: body.content, chatId: body.chatId, ...(body.caption ? { caption: body.caption } : {}) });
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/tap") {
      const body = tapSchema.parse(await json());
      const id = telegram.tap(body.userId, body.messageId, body.data, body.chatId);
      const deadline = Date.now() + 5_000;
      while (!telegram.callbackAnswers.has(id) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 25));
      sendJson(res, 200, { answer: telegram.callbackAnswers.get(id) ?? null });
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/block") {
      // The customer blocks (or unblocks) the bot, as Telegram reports it: my_chat_member to the bot.
      const body = blockSchema.parse(await json());
      telegram.setBlocked(body.userId, body.blocked);
      sendJson(res, 200, { blocked: [...telegram.blocked] });
      return true;
    }
    if (req.method === "GET" && path === "/sandbox/api/mailbox") {
      // What the customers received, newest first: the HTML is shown in a sandboxed frame (no scripts).
      const mails = [...(smtp?.mails ?? [])].reverse().map((mail) => ({ id: mail.id, to: mail.to, subject: mail.subject, receivedAt: mail.receivedAt, html: mail.html ?? null, text: mail.text }));
      sendJson(res, 200, { local: smtp !== undefined, blocked: [...telegram.blocked], mails });
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/pay-invoice") {
      // As Telegram does it: pre_checkout_query to the bot, and after its yes the charge and successful_payment.
      const body = payInvoiceSchema.parse(await json());
      const verdict = await telegram.payInvoice(body.userId, body.messageId);
      sendJson(res, 200, { ok: verdict.ok, ...(verdict.error_message ? { error_message: verdict.error_message } : {}) });
      return true;
    }
    if (req.method === "GET" && (path === "/favicon.svg" || path === "/favicon.ico")) {
      res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "max-age=86400" });
      res.end(FAVICON);
      return true;
    }
    if (req.method === "GET" && path === "/sandbox/api/supplier") {
      const products = [...SIMULATOR_CATALOG].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true })).map((product) => ({ sku: product.sku, name: product.name, preset: presetOf.get(product.sku) ?? "instant" }));
      sendJson(res, 200, { presets: BEHAVIOUR_PRESETS, products, balance: supplier.balance, routing: routing(), reloadly: reloadlyState() });
      return true;
    }
    const reloadlyBehaviour = /^\/sandbox\/api\/reloadly\/(giftcards|topups)\/(\d+)$/.exec(path);
    if (req.method === "PUT" && reloadlyBehaviour) {
      const { preset } = z.object({ preset: z.enum(Object.keys(RELOADLY_PRESETS) as [string, ...string[]]) }).parse(await json());
      const api = reloadlyBehaviour[1] as ReloadlySimApi;
      reloadly.setBehaviour(api, Number(reloadlyBehaviour[2]), RELOADLY_PRESETS[preset]!.behaviour);
      reloadlyPresetOf.set(`${api}:${reloadlyBehaviour[2]}`, preset);
      sendJson(res, 200, { api, id: Number(reloadlyBehaviour[2]), preset });
      return true;
    }
    if (req.method === "PUT" && path === "/sandbox/api/reloadly-balance") {
      const { amount } = z.object({ amount: z.number().int().nonnegative() }).parse(await json());
      reloadly.balance.amount = amount;
      sendJson(res, 200, { balance: reloadly.balance });
      return true;
    }
    if (req.method === "POST" && path === "/sandbox/api/reloadly-expire-tokens") {
      reloadly.expireTokens();
      sendJson(res, 200, { ok: true });
      return true;
    }
    const behaviour = /^\/sandbox\/api\/supplier\/([A-Za-z0-9._-]+)$/.exec(path);
    if (req.method === "PUT" && behaviour) {
      const { preset } = z.object({ preset: z.enum(Object.keys(BEHAVIOUR_PRESETS) as [string, ...string[]]) }).parse(await json());
      supplier.setBehaviour(behaviour[1]!, BEHAVIOUR_PRESETS[preset]!.behaviour);
      presetOf.set(behaviour[1]!, preset);
      sendJson(res, 200, { sku: behaviour[1], preset });
      return true;
    }
    if (req.method === "PUT" && path === "/sandbox/api/supplier-balance") {
      const { amount } = z.object({ amount: z.number().int().nonnegative() }).parse(await json());
      supplier.balance.amount = amount;
      sendJson(res, 200, { balance: supplier.balance });
      return true;
    }
    const checkout = /^\/checkout\/(cs_test_[a-f0-9]+)(?:\/(pay|cancel))?$/.exec(path);
    if (checkout) {
      const session = stripe.sessions.get(checkout[1]!);
      if (!session) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("No such checkout session (the sandbox forgets sessions when it restarts). Go back to the bot and start again.");
        return true;
      }
      if (req.method === "GET" && !checkout[2]) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(checkoutPage(session, Date.now(), checkoutLocale(session, req.headers["accept-language"]), typicalEmail(session.client_reference_id)));
        return true;
      }
      if (req.method === "POST" && checkout[2] === "pay") {
        // The email the customer typed on the page, as Stripe reports it (customer_details.email).
        const form = new URLSearchParams((await readRawBody(req)).toString("utf8"));
        if (session.status === "open") await stripe.completeCheckout(session.id, { email: parseEmailAddress(form.get("email")) ?? null });
        res.writeHead(303, { location: toChat(session.success_url) });
        res.end();
        return true;
      }
      if (req.method === "POST" && checkout[2] === "cancel") {
        res.writeHead(303, { location: toChat(session.cancel_url) });
        res.end();
        return true;
      }
    }
    return false;
  }

  /** What the customer would type on the checkout page: their first name and id at example.com. */
  function typicalEmail(orderId: string | null): string {
    const order = orderId ? getOrder(shop.db, orderId) : undefined;
    const user = order ? [...telegram.users()].find((u) => u.id === order.customerId) : undefined;
    if (!user) return "customer@example.com";
    return `${(user.first_name.split(" ")[0] ?? "customer").toLowerCase().replace(/[^a-z0-9]/g, "") || "customer"}.${user.id}@example.com`;
  }

  /** Each product with more than the default source, in the order its sources are tried, with its stock. */
  function routing() {
    const stock = new Map(stockCounts(shop.db, Date.now()).map((row) => [row.pool, row.available]));
    return shop.db
      .select({ sku: products.sku, name: products.name, sources: products.sources, enabled: products.enabled })
      .from(products)
      .all()
      .filter((row) => row.enabled && row.sources)
      .map((row) => ({
        sku: row.sku,
        name: row.name,
        sources: sourcesOf(row).map((source) => describeSource(source, row.sku) + (source.supplier === "stock" ? ` (${stock.get(source.sku ?? row.sku) ?? 0} left)` : "")),
      }));
  }

  function reloadlyState() {
    const presetFor = (api: ReloadlySimApi, id: number) => reloadlyPresetOf.get(`${api}:${id}`) ?? "instant";
    return {
      presets: RELOADLY_PRESETS,
      balance: reloadly.balance,
      giftcards: reloadly.products.map((product) => ({ id: product.productId, name: `#${product.productId} ${product.productName}`, preset: presetFor("giftcards", product.productId) })),
      topups: reloadly.operators.map((operator) => ({ id: operator.operatorId, name: `#${operator.operatorId} ${operator.name}`, preset: presetFor("topups", operator.operatorId) })),
    };
  }

  const shop = createShop(config, {
    extraRoutes: (req, res) =>
      routes(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 400, { error: (error as Error).message });
        return true;
      }),
  });
  seedStock(shop, config.CODE_ENCRYPTION_KEY);
  await shop.start();
  // After a restart the fake Telegram knows no one: new customers start past every id the database has
  // seen, so that + New never hands out a customer who already has orders.
  const { maxId } = shop.db.$client.prepare<[], { maxId: number | null }>("SELECT max(id) AS maxId FROM customers").get()!;
  nextCustomerId = Math.max(nextCustomerId, (maxId ?? 0) + 1);
  const languages = SHIPPED_LOCALES.map((locale) => `<option value="${locale}">${escapeHtml(shop.t(locale, "language-name"))}</option>`).join("");
  page = CHAT_PAGE.replace("__OPS_CHAT_ID__", String(SANDBOX_OPS_CHAT_ID)).replace("__ADMIN_ID__", String(SANDBOX_ADMIN_ID)).replace("__LANGUAGES__", languages);
  baseUrl = `http://${["0.0.0.0", "127.0.0.1"].includes(config.HTTP_HOST) ? "localhost" : config.HTTP_HOST}:${shop.port}`;
  stripe.setWebhookUrl(`http://127.0.0.1:${shop.port}/webhooks/stripe`);
  stripe.setCheckoutBaseUrl(baseUrl);
  supplier.setWebhookUrl(`http://127.0.0.1:${shop.port}/webhooks/supplier`);

  // Stripe's 30-minute expiry: an open session past its expires_at is expired and its event sent.
  const expiry = setInterval(() => {
    const now = Date.now() / 1000;
    for (const session of stripe.sessions.values()) {
      if (session.status === "open" && session.expires_at <= now) void stripe.expireCheckout(session.id).catch(() => undefined);
    }
  }, 5_000);
  expiry.unref();

  if (options.banner) {
    const line = "─".repeat(64);
    console.log(
      [
        line,
        "  Code Shop · offline sandbox (no BOT_TOKEN set)",
        "",
        `  Open ${baseUrl}/ in your browser.`,
        "",
        "  A customer chat, the ops chat and the supplier's controls, all local:",
        "  Telegram, Stripe and the supplier are stand-ins on this machine. Try:",
        "    • Gift cards → Steam Wallet → buy, pay on the checkout page, get the code",
        "    • Or ⭐ Pay in Stars: the invoice's Pay button stands in for Telegram's payment form",
        "    • PlayStation (pending → webhook), Google Play (polling), Xbox (fails → refund)",
        "    • Game top-ups: a wrong player id is explained; PUBG fails and is refunded",
        "    • Customers in six languages: pick one beside + New, or /language in the chat",
        "    • Amazon.com 25 USD: the shop's stock first, then Reloadly, then the generic supplier;",
        "      switch Reloadly's behaviours on the right to watch the failover",
        "    • Mobile airtime through Reloadly: Digicel Haiti, Telcel Mexico 200 MXN",
        "    • In the ops chat: /review, /stats, /pending, /order <id>, /stock, /balance",
        "    • ✉️ Mailbox: each purchase mails a receipt (EMAIL_DELIVERY=always); 🚫 Block the bot",
        "      in the chat's header and the code goes by email instead; /email confirms an address",
        "",
        `  Data: ${databasePath}  ·  set BOT_TOKEN in .env to run the real shop.`,
        line,
      ].join("\n"),
    );
  }

  return {
    shop,
    telegram,
    stripe,
    supplier,
    reloadly,
    smtp,
    url: baseUrl,
    async stop() {
      clearInterval(expiry);
      await shop.stop();
      await Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close(), smtp?.close()]);
    },
  };
}

/** Demo codes for the stock pools that are empty (a restarted sandbox keeps what it sold). */
function seedStock(shop: Shop, key: Buffer): void {
  const deps = { db: shop.db, sealer: createCodeCipher(key), fingerprint: createCodeFingerprinter(key), now: Date.now };
  const counts = new Map(stockCounts(shop.db, Date.now()).map((row) => [row.pool, row.available + row.sold]));
  for (const [pool, count] of Object.entries(SANDBOX_STOCK)) {
    if ((counts.get(pool) ?? 0) > 0) continue;
    const lines = Array.from({ length: count }, () => `STOCK-${randomBytes(6).toString("hex").toUpperCase()}`);
    importStock(deps, pool, parseStockFile(lines.join("\n")));
  }
  refreshStockAvailability(shop.db, Date.now());
}
