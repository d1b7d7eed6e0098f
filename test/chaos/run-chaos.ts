// The chaos run: N orders through the real shop process (spawned, on loopback) while faults are injected
// at random: supplier errors, timeouts, dropped connections, webhooks duplicated/late/out of order/missing,
// untrustworthy answers, no balance, long codes; Reloadly orders processing, failed, refunded, timing out after
// creating, 5xx, expired tokens, cards late; the shop's own stock running out (failover to the next source); Stripe
// events duplicated, out of order, expired, mismatched; refunds and disputes made in Stripe before, during and
// after fulfilment; Telegram Stars payments (with the shop killed between the pre-checkout and the charge, or
// right after the payment arrives, the update lost, a second charge); Telegram 429s and blocked customers;
// deliveries too long for one message (ten long codes, a supplier's long instructions); the database refusing some
// writes (unexpected step errors); the mail server saying "later" (4xx), refusing (5xx) or dropping the connection
// while receipts and fallback emails go out (EMAIL_DELIVERY=always); a broadcast to every customer; and the shop
// itself killed with SIGKILL (once while the broadcast sends) and restarted. Then it checks, from the
// database, its backup and what the fakes recorded, that nothing paid was lost or doubled, that one supplier order
// fulfilled each shop order, that every order that needed a person was announced in the ops chat, and that no
// customer got the broadcast twice except at a crash point.
//
//   npm run chaos -- --orders 1000 --kills 6 --seed 42
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { backupDatabase } from "../../src/ops/backup.js";
import { openDatabase } from "../../src/db/connection.js";
import { createCodeCipher, createCodeFingerprinter } from "../../src/lib/crypto.js";
import { startReloadlySimulator, type ReloadlyBehaviourInput, type ReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import { parseStockFile } from "../../src/supplier/stock/parse.js";
import { importStock } from "../../src/supplier/stock/store.js";
import { startFakeSmtp, type FakeSmtp, type SmtpFault } from "../../src/sandbox/fake-smtp.js";
import { startFakeStripe, type FakeStripe } from "../../src/sandbox/fake-stripe.js";
import { startFakeTelegram, stripHtml, type ChatMessage, type FakeTelegram } from "../../src/sandbox/fake-telegram.js";
import { startSupplierSimulator, type SimBehaviourInput, type SupplierSimulator } from "../../src/supplier/simulator.js";
import { SIMULATOR_CATALOG } from "../../src/supplier/simulator-catalog.js";
import { freePort, ROOT, spawnShop, type ShopProcess } from "../helpers/shop-process.js";

const TOKEN = "424242:CHAOS-token-for-the-fake-bot-api";
const OPS = -100_999;

export interface ChaosOptions {
  orders: number;
  customers: number;
  kills: number;
  seed: number;
  /** Give up waiting for the pipeline to settle after this long. */
  settleTimeoutMs: number;
  log: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  orders: number;
  kills: number;
  faults: Record<string, number>;
  outcomes: Record<string, number>;
  violations: string[];
  seconds: number;
}

/** mulberry32: a small seeded generator, so that a failing run can be replayed with its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends string>(random: () => number, weights: Record<T, number>): T {
  const total = Object.values<number>(weights).reduce((sum, w) => sum + w, 0);
  let roll = random() * total;
  for (const [key, weight] of Object.entries<number>(weights)) {
    roll -= weight;
    if (roll <= 0) return key as T;
  }
  return Object.keys(weights)[0] as T;
}

const SUPPLIER_FAULTS = {
  none: 40,
  pending_webhook: 8,
  pending_webhook_twice: 5,
  pending_webhook_late: 4,
  pending_webhook_out_of_order: 4,
  pending_no_webhook: 5,
  pending_forever: 2,
  http_5xx: 8,
  timeout: 4,
  dropped_after_create: 4,
  empty_code: 3,
  insufficient_balance: 3,
  supplier_failed: 5,
  early_webhook: 3,
  long_codes: 0, // chosen for bulk orders only (see the rule): ten of them do not fit one message
} as const;
type SupplierFault = keyof typeof SUPPLIER_FAULTS;

const BEHAVIOURS: Record<SupplierFault, SimBehaviourInput> = {
  none: { outcome: "complete" },
  pending_webhook: { outcome: "pending", resolveAfterMs: 300, webhook: "once" },
  pending_webhook_twice: { outcome: "pending", resolveAfterMs: 300, webhook: "twice" },
  pending_webhook_late: { outcome: "pending", resolveAfterMs: 200, webhook: "late", lateMs: 2_500 },
  pending_webhook_out_of_order: { outcome: "pending", resolveAfterMs: 300, webhook: "out_of_order" },
  pending_no_webhook: { outcome: "pending", resolveAfterPolls: 2, webhook: "none" },
  pending_forever: { outcome: "pending", webhook: "none" },
  http_5xx: { failFirst: { count: 1, status: 503, code: "unavailable" } },
  timeout: { outcome: "hang", hangMs: 1_500 },
  dropped_after_create: { outcome: "drop" },
  empty_code: { outcome: "empty_code" },
  insufficient_balance: { outcome: "error", status: 500, code: "insufficient_balance" },
  supplier_failed: { outcome: "fail", code: "operator_rejected" },
  early_webhook: { outcome: "complete", webhook: "early" },
  long_codes: { outcome: "complete", codeLength: 480 },
};

const PAYMENT_FAULTS = {
  normal: 52,
  duplicate: 9,
  out_of_order: 7,
  amount_mismatch: 4,
  expired: 7,
  abandoned: 6,
  stars: 8,
  stars_kill_before_charge: 1,
  stars_kill_after_payment: 1,
  stars_update_lost: 3,
  stars_second_charge: 2,
} as const;
const RELOADLY_FAULTS = {
  none: 40,
  processing: 8,
  cards_delayed: 5,
  failed: 5,
  refunded: 4,
  insufficient_balance: 4,
  out_of_stock: 3,
  server_error: 4,
  server_error_after_create: 4,
  timeout_after_create: 4,
  token_expired: 4,
} as const;
type ReloadlyFault = keyof typeof RELOADLY_FAULTS;

const RELOADLY_BEHAVIOURS: Record<ReloadlyFault, ReloadlyBehaviourInput> = {
  none: { outcome: "instant" },
  processing: { outcome: "processing", resolveAfterMs: 500 },
  cards_delayed: { outcome: "cards_delayed", resolveAfterPolls: 2 },
  failed: { outcome: "failed" },
  refunded: { outcome: "refunded", resolveAfterMs: 400 },
  insufficient_balance: { outcome: "insufficient_balance" },
  out_of_stock: { outcome: "out_of_stock" },
  server_error: { outcome: "server_error", status: 503 },
  server_error_after_create: { outcome: "server_error", status: 502, created: true },
  timeout_after_create: { outcome: "timeout_after_create", hangMs: 1_500 },
  token_expired: { outcome: "token_expired" },
};

type PaymentFault = keyof typeof PAYMENT_FAULTS;

/** What the mail server does with each email (receipts, and codes Telegram could not deliver). */
const SMTP_FAULTS = { none: 70, try_later: 15, refused: 5, dropped: 10 } as const;
const SMTP_BEHAVIOURS: Record<keyof typeof SMTP_FAULTS, SmtpFault | undefined> = {
  none: undefined,
  try_later: { kind: "reply", code: 451, message: "greylisted, try again later" },
  refused: { kind: "reply", code: 550, message: "mailbox unavailable" },
  dropped: { kind: "drop" },
};
const STARS_FAULTS: ReadonlySet<PaymentFault> = new Set(["stars", "stars_kill_before_charge", "stars_kill_after_payment", "stars_update_lost", "stars_second_charge"]);

/** The card behind a payment: Radar finds it risky, or it is one card shared by many accounts (fraud rules hold both). */
const CARD_FAULTS = { normal: 88, risky: 6, shared_card: 6 } as const;
type CardFault = keyof typeof CARD_FAULTS;
const SHARED_CARD = "chaos-shared-card-fingerprint";

/** Money moved at Stripe after a card payment: a refund (whole or part) or a dispute, at a random moment. */
const MONEY_FAULTS = { none: 82, refund_full: 6, refund_partial: 3, dispute: 5, refund_first: 2, dispute_late: 2 } as const;
type MoneyFault = keyof typeof MONEY_FAULTS;

/** A product the supplier's catalog brings with instructions longer than three messages (sold after /sync). */
const LONG_GUIDE_SKU = "steam-25-usd-guide";
const LONG_GUIDE = Array.from({ length: 300 }, (_, i) => `Step ${i + 1}: open the redeem page and follow it.`).join(" ");

const PRODUCTS = [
  { sku: "steam-20-usd", recipient: null },
  { sku: "steam-20-usd", recipient: null, quantity: 10 },
  { sku: LONG_GUIDE_SKU, recipient: null },
  { sku: "psn-25-usd", recipient: null },
  { sku: "razer-gold-10-usd", recipient: null },
  { sku: "google-play-10-eur", recipient: null },
  { sku: "mlbb-86-diamonds", recipient: "12345678" },
  { sku: "airtime-mx-100-mxn", recipient: "+5215512345678" },
  // Routed through several sources (catalog.example.json): stock → Reloadly → generic, Reloadly only, stock only.
  { sku: "amazon-us-25", recipient: null },
  { sku: "itunes-de-25-eur", recipient: null },
  { sku: "airtime-ht-10-usd", recipient: "+50936377111" },
  { sku: "spotify-10-usd", recipient: null },
] as const;

/** Codes put in the shop's own stock before the run: Amazon's run out (and fail over), Spotify's do not. */
const STOCK_SEED = { "amazon-us-25": 2, "spotify-10-usd": 400 } as const;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface OrderRecord {
  orderId: string;
  customerId: number;
  sessionId: string;
  sku: string;
  payment: PaymentFault;
  paid: boolean;
  money: MoneyFault;
  card: CardFault;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const random = seeded(options.seed);
  const log = options.log;
  const dir = mkdtempSync(join(tmpdir(), "chaos-"));
  const dbPath = join(dir, "shop.sqlite");
  const faults: Record<string, number> = {};
  const count = (name: string) => (faults[name] = (faults[name] ?? 0) + 1);

  const telegram: FakeTelegram = await startFakeTelegram({ token: TOKEN });
  telegram.addGroup(OPS);
  const webhookSecret = `whsec_${randomBytes(8).toString("hex")}`;
  const stripe: FakeStripe = await startFakeStripe({ webhookSecret });
  const supplierFaults = new Map<string, SupplierFault>();
  const supplier: SupplierSimulator = await startSupplierSimulator({
    apiKey: "chaos-key",
    webhookSecret: "chaos-supplier-secret-123",
    webhookRetryScale: 0.01,
    balance: { amount: 1_000_000_000, currency: "USD" },
    catalog: [
      ...SIMULATOR_CATALOG,
      { sku: LONG_GUIDE_SKU, name: "Steam Wallet 25 USD", kind: "code", face_value: { amount: 2500, currency: "USD" }, cost: { amount: 2310, currency: "USD" }, requires_pin: false, in_stock: true, instructions: LONG_GUIDE },
    ],
    rule: ({ reference, quantity }) => {
      let fault = supplierFaults.get(reference);
      if (!fault) {
        fault = quantity > 1 && random() < 0.6 ? "long_codes" : pick(random, SUPPLIER_FAULTS);
        supplierFaults.set(reference, fault);
        if (fault !== "none") count(`supplier: ${fault.replace(/_/g, " ")}`);
      }
      return BEHAVIOURS[fault];
    },
  });

  const reloadlyFaults = new Map<string, ReloadlyFault>();
  const reloadly: ReloadlySimulator = await startReloadlySimulator({
    clientId: "chaos-reloadly",
    clientSecret: "chaos-reloadly-secret",
    balance: { amount: 1_000_000_000, currency: "USD" },
    rule: ({ customIdentifier }) => {
      let fault = reloadlyFaults.get(customIdentifier);
      if (!fault) {
        fault = pick(random, RELOADLY_FAULTS);
        reloadlyFaults.set(customIdentifier, fault);
        if (fault !== "none") count(`reloadly: ${fault.replace(/_/g, " ")}`);
      }
      return RELOADLY_BEHAVIOURS[fault];
    },
  });

  // The mail server: every email meets a fault now and then (a 4xx retried, a 5xx given up, a dropped connection).
  const smtp: FakeSmtp = await startFakeSmtp();
  smtp.setRule(() => {
    const fault = pick(random, SMTP_FAULTS);
    if (fault !== "none") count(`email: ${fault.replace(/_/g, " ")}`);
    return SMTP_BEHAVIOURS[fault];
  });

  // The shop's own stock, encrypted with the shop's key in the shop's database before it starts.
  const codeKey = randomBytes(32);
  const seedDb = openDatabase(dbPath);
  const stockDeps = { db: seedDb, sealer: createCodeCipher(codeKey), fingerprint: createCodeFingerprinter(codeKey), now: Date.now };
  for (const [pool, n] of Object.entries(STOCK_SEED)) {
    importStock(stockDeps, pool, parseStockFile(Array.from({ length: n }, () => `CHAOS-${randomBytes(8).toString("hex").toUpperCase()}`).join("\n")));
  }
  seedDb.$client.close();

  // The example catalog, with a bulk product: up to ten codes in one order.
  const catalog = JSON.parse(readFileSync(join(ROOT, "catalog.example.json"), "utf8")) as { products: Array<{ sku: string; max_quantity?: number }> };
  for (const product of catalog.products) if (product.sku === "steam-20-usd") product.max_quantity = 10;
  writeFileSync(join(dir, "catalog.json"), JSON.stringify(catalog));

  const port = await freePort();
  const shopUrl = `http://127.0.0.1:${port}`;
  stripe.setWebhookUrl(`${shopUrl}/webhooks/stripe`);
  supplier.setWebhookUrl(`${shopUrl}/webhooks/supplier`);
  const env = {
    ...process.env,
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ADMIN_USER_IDS: "1",
    OPS_CHAT_ID: String(OPS),
    STRIPE_SECRET_KEY: "sk_test_chaos",
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: stripe.url,
    PAYMENT_METHODS: "stripe,stars",
    STARS_RECONCILE_INTERVAL_MS: "10000",
    SUPPLIER_API_URL: supplier.url,
    SUPPLIER_API_KEY: "chaos-key",
    SUPPLIER_WEBHOOK_SECRET: "chaos-supplier-secret-123",
    RELOADLY_CLIENT_ID: "chaos-reloadly",
    RELOADLY_CLIENT_SECRET: "chaos-reloadly-secret",
    RELOADLY_AUTH_URL: reloadly.authUrl,
    RELOADLY_GIFTCARDS_URL: reloadly.giftcardsUrl,
    RELOADLY_TOPUPS_URL: reloadly.topupsUrl,
    SUPPLIER_TIMEOUT_MS: "500",
    SUPPLIER_RETRY_BASE_MS: "100",
    SUPPLIER_POLL_INTERVAL_MS: "1000",
    SUPPLIER_POLL_WINDOW_MS: "5000",
    MONITOR_INTERVAL_MS: "1000",
    // The pacer stays on, with a shorter gap per chat than Telegram asks: the fake does not enforce it, and
    // a second per message would make the run about waiting.
    TELEGRAM_CHAT_GAP_MS: "100",
    DATABASE_PATH: dbPath,
    HTTP_PORT: String(port),
    HTTP_HOST: "127.0.0.1",
    CATALOG_PATH: join(dir, "catalog.json"),
    SUPPORT_CONTACT: "@chaos_support",
    CODE_ENCRYPTION_KEY: codeKey.toString("hex"),
    MAX_UNPAID_ORDERS: "50",
    // Chaos customers buy dozens of orders each: the spending rules would hold them all. Radar's level and card
    // sharing stay on (the fraud mix), and a dispute bans its customer.
    RISK_NEW_CUSTOMER_MAX: "off",
    RISK_MAX_ORDERS_PER_DAY: "off",
    RISK_MAX_VALUE_PER_DAY: "off",
    MAX_ORDERS_PER_HOUR: "10000",
    WORKER_CONCURRENCY: "32",
    LOG_LEVEL: "warn",
    // Email as the backup channel, with a receipt for every delivery so that the mail server sees traffic.
    SMTP_URL: smtp.url,
    EMAIL_FROM: "Chaos Shop <shop@chaos.example>",
    EMAIL_DELIVERY: "always",
    EMAIL_RETRY_BASE_MS: "200",
    EMAIL_MAX_ATTEMPTS: "6",
  };

  // The shop process, killed and restarted at random moments.
  let shop: ShopProcess | undefined;
  let kills = 0;
  const startShop = async () => {
    shop = await spawnShop(env, { cwd: dir, logFile: join(dir, "shop.log") });
  };
  /** Unexpected step errors the shop counted (its /metrics), summed over its lives. */
  let stepErrors = 0;
  async function countStepErrors(): Promise<void> {
    try {
      const text = await (await fetch(`${shopUrl}/metrics`)).text();
      for (const match of text.matchAll(/^shop_step_errors_total\{[^}]*\} (\d+)/gm)) stepErrors += Number(match[1]);
    } catch {
      // the shop is down: its count is lost with it
    }
  }
  async function killShop(): Promise<void> {
    await countStepErrors();
    await shop!.kill("SIGKILL");
    kills += 1;
    log(`  SIGKILL #${kills} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await sleep(100 + random() * 400);
    await startShop();
  }
  await startShop();

  // A broadcast to every customer, started just before the first planned kill, so that the SIGKILL lands while it
  // sends: after the restart it resumes from its position in the database. A crash between Telegram's answer and
  // that write may send one customer a second copy (the crash point), never more, and never more than one per kill.
  const BROADCAST_TEXT = "📣 Chaos sale: every gift card half price today";
  let broadcastStarted = false;
  async function broadcastThenKill(): Promise<void> {
    if (!broadcastStarted) {
      broadcastStarted = true;
      try {
        const source = telegram.sendText(1, BROADCAST_TEXT);
        const asked = telegram.version;
        telegram.sendText(1, "/broadcast", { replyTo: source });
        // The broadcast's own question: the admin's Release questions arrive in this chat meanwhile, with Confirm too.
        const question = await telegram.waitFor(1, (m) => m.version > asked && stripHtml(m.text ?? "").includes("Send this message to") && m.buttons.flat().some((b) => b.callback_data?.startsWith("cf:")), 15_000);
        const confirm = question.buttons.flat().find((b) => b.callback_data?.startsWith("cf:"))!;
        const callsBefore = telegram.calls.length;
        const tapped = telegram.tap(1, question.message_id, confirm.callback_data!);
        // A copy to a customer after the Confirm (the preview before the question is a copy too): it is sending.
        const deadline = Date.now() + 15_000;
        while (!telegram.calls.slice(callsBefore).some((call) => call.method === "copyMessage" && Number(call.params["chat_id"]) !== 1)) {
          if (Date.now() > deadline) {
            const answer = telegram.callbackAnswers.get(tapped);
            const last = telegram.messages(1).slice(-3).map((m) => `[${m.from}] ${stripHtml(m.text ?? "").slice(0, 120)}`).join(" | ");
            throw new Error(`no broadcast copy within 15 s of the Confirm (answer: ${JSON.stringify(answer)}; chat 1: ${last})`);
          }
          await sleep(20);
        }
        count("broadcast: SIGKILL while it sends");
        await sleep(random() * 50);
      } catch (error) {
        log(`  the broadcast could not be started: ${(error as Error).message}`);
      }
    }
    await killShop();
  }

  // The operator syncs the catalog from the supplier (/sync) and enables what it brought: a product whose
  // instructions do not fit three messages, so its codes go as a file.
  telegram.addUser({ id: 1, first_name: "Admin" });
  const synced = telegram.version;
  telegram.sendText(1, "/sync");
  await telegram.waitFor(1, (m) => m.version > synced && stripHtml(m.text).includes("Catalog synced"), 15_000);
  const rw = new Database(dbPath);
  rw.pragma("busy_timeout = 5000");
  rw.prepare("UPDATE products SET enabled = 1 WHERE sku = ?").run(LONG_GUIDE_SKU);
  // The database refuses one delivery's commit in twenty (as a failing disk would): the step fails unexpectedly
  // after the code went out, and the worker must retry it with backoff, not spin on it or lose it.
  rw.exec(
    "CREATE TRIGGER chaos_disk_error BEFORE UPDATE OF status ON orders WHEN NEW.status = 'delivered' AND abs(random() % 20) = 0 BEGIN SELECT RAISE(ABORT, 'disk I/O error (chaos)'); END",
  );
  rw.close();

  // Telegram throttling: a 429 with retry_after now and then.
  const throttle = setInterval(() => {
    if (random() < 0.5 && telegram.pendingFailures("sendMessage") === 0) {
      telegram.failNext("sendMessage", 1, { code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
      count("telegram: 429 retry_after");
    }
  }, 700);

  /** Stripe retries a webhook until it gets a 2xx, as the real one does. */
  async function deliver(signed: { payload: string; header: string }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const status = await stripe.post(signed);
        if (status >= 200 && status < 300) return;
      } catch {
        // the shop is down: Stripe tries again later
      }
      await sleep(Math.min(2_000, 100 * 2 ** attempt));
    }
  }

  /** A customer opens an order in the bot; tries again (as a person would) when the shop was down. */
  async function openOrder(customerId: number, product: (typeof PRODUCTS)[number]): Promise<{ orderId: string; sessionId: string } | undefined> {
    const wait = (predicate: (m: ChatMessage) => boolean, ms = 6_000) => telegram.waitFor(customerId, predicate, ms);
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const since = telegram.version;
        telegram.sendText(customerId, `/start buy_${product.sku}`);
        const card = await wait((m) => m.version > since && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
        const buy = card.buttons.flat().find((b) => b.text.startsWith("🛒"))!;
        const tapped = telegram.version;
        telegram.tap(customerId, card.message_id, buy.callback_data!);
        // What follows Buy: the Pay button, the quantity question, or (a top-up) the recipient question with only Cancel;
        // or a refusal (a banned customer, too many unpaid orders), whose only button is "My orders".
        const asksRecipient = (m: ChatMessage) => m.buttons.flat().length === 1 && m.buttons.flat()[0]!.callback_data === "cc";
        const refused = (m: ChatMessage) => m.buttons.flat().length === 1 && m.buttons.flat()[0]!.callback_data === "os:0";
        const next = await wait((m) => m.version > tapped && (m.buttons.flat().some((b) => b.url || b.callback_data === "q:1") || asksRecipient(m) || refused(m)));
        if (refused(next)) {
          count("customer refused at checkout (banned after a dispute)");
          leaving.add(customerId);
          return undefined;
        }
        let last = next;
        if (next.buttons.flat().some((b) => b.callback_data === "q:1")) {
          const at = telegram.version;
          telegram.tap(customerId, next.message_id, `q:${"quantity" in product ? product.quantity : 1}`);
          last = await wait((m) => m.version > at && m.buttons.flat().some((b) => b.url));
        } else if (asksRecipient(next)) {
          const at = telegram.version;
          telegram.sendText(customerId, product.recipient!);
          const confirm = await wait((m) => m.version > at && m.buttons.flat().some((b) => b.callback_data === "ok"));
          const confirmed = telegram.version;
          telegram.tap(customerId, confirm.message_id, "ok");
          last = await wait((m) => m.version > confirmed && m.buttons.flat().some((b) => b.url));
        }
        const pay = last.buttons.flat().find((b) => b.url)!;
        const orderId = /ORD-[0-9A-Z]{8}/.exec(stripHtml(last.text))?.[0];
        if (!orderId) continue;
        return { orderId, sessionId: pay.url!.split("/").at(-1)! };
      } catch (error) {
        if (process.env["CHAOS_DEBUG"]) log(`  open failed for ${customerId} ${product.sku}: ${(error as Error).message.split("\n").slice(0, 1).join(" ")} | last: ${stripHtml(telegram.messages(customerId).at(-1)?.text ?? "").slice(0, 80)}`);
        telegram.sendText(customerId, "/cancel");
        await sleep(300);
      }
    }
    return undefined;
  }

  /** Pays an order in Stars from its summary (⭐ button → invoice → Telegram's payment form). */
  async function payInStars(record: OrderRecord, fault: PaymentFault): Promise<boolean> {
    const customerId = record.customerId;
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        const summary = telegram
          .messages(customerId)
          .filter((m) => m.from === "bot" && m.text.includes(record.orderId) && m.buttons.flat().some((b) => b.text.startsWith("⭐")))
          .at(-1);
        if (!summary) return false;
        const since = telegram.version;
        telegram.tap(customerId, summary.message_id, summary.buttons.flat().find((b) => b.text.startsWith("⭐"))!.callback_data!);
        const invoice = await telegram.waitFor(customerId, (m) => m.version > since && (m.invoice as { payload?: string } | undefined)?.payload === record.orderId, 6_000);
        const paid = await telegram.payInvoice(customerId, invoice.message_id, {
          deliverUpdate: fault !== "stars_update_lost",
          // The shop dies after saying yes to the pre-checkout, before Telegram charges.
          ...(fault === "stars_kill_before_charge" ? { beforeCharge: () => (killing = killing.then(killShop)) } : {}),
        });
        if (!paid.ok) return false;
        // The shop dies right after the payment's update is out (stored or not, the ledger has it).
        if (fault === "stars_kill_after_payment") killing = killing.then(killShop);
        if (fault === "stars_second_charge") {
          // Telegram lets a second charge of the same order through (two invoices paid at once).
          telegram.starTransactions.push({
            id: `stxCHAOS${randomBytes(6).toString("hex")}`,
            amount: (invoice.invoice as { total: number }).total,
            date: Math.floor(Date.now() / 1000),
            source: { type: "user", transaction_type: "invoice_payment", user: { id: customerId, is_bot: false, first_name: "Chaos" }, invoice_payload: record.orderId },
          });
        }
        return true;
      } catch {
        await sleep(400);
      }
    }
    return false;
  }

  /** A refund or dispute at Stripe, around the card payment's event (before it, while fulfilment runs, or after). */
  async function moveMoney(record: OrderRecord, paidEvent: { payload: string; header: string } | undefined): Promise<void> {
    const session = stripe.sessions.get(record.sessionId);
    const intent = session?.payment_intent;
    if (!intent || record.money === "none") return;
    if (record.money === "refund_first") {
      // The refund's event overtakes the payment's: it must wait for it, then stop the delivery.
      const { signed } = await stripe.refundInDashboard(intent, { post: false });
      await deliver(signed);
      if (paidEvent) await deliver(paidEvent);
      return;
    }
    await sleep(record.money === "dispute_late" ? 2_500 + random() * 2_000 : random() * 1_500);
    if (record.money === "refund_full") await deliver((await stripe.refundInDashboard(intent, { post: false })).signed);
    if (record.money === "refund_partial") await deliver((await stripe.refundInDashboard(intent, { amount: 100, post: false })).signed);
    if (record.money === "dispute" || record.money === "dispute_late") {
      for (const signed of (await stripe.openDispute(intent, { post: false })).signed) await deliver(signed);
      // A dispute bans the customer (RISK_BAN_ON_DISPUTE): they buy nothing more, and stop trying.
      leaving.add(record.customerId);
    }
  }

  const records: OrderRecord[] = [];

  // The admin releases about half of the payments the fraud rules hold, a moment after the hold, through the bot
  // (/release, then Confirm). What the suppliers had for such an order when the admin sent /release is kept: it must
  // be nothing. Its own random stream, so that the seed's other faults stay what they were.
  const releaseRandom = seeded(options.seed ^ 0x5eed);
  const releases: Array<Promise<void>> = [];
  const placedBeforeRelease = new Map<string, string>();
  const watch = new Database(dbPath, { readonly: true, fileMustExist: true });
  const heldRow = watch.prepare<[string], { status: string; risk_held_at: number | null }>("SELECT status, risk_held_at FROM orders WHERE id = ?");
  const stockOf = watch.prepare<[string], { n: number }>("SELECT count(*) AS n FROM stock_codes WHERE order_id = ?");
  /** A supplier order (any source) made for a shop order so far, or undefined. */
  function placedAnywhere(orderId: string): string | undefined {
    const ours = (reference: string) => reference === orderId || reference.startsWith(`${orderId}-`);
    const generic = [...supplier.createdByReference.keys()].find(ours);
    if (generic) return `generic ${generic}`;
    const viaReloadly = [...reloadly.createdByIdentifier.keys()].find(ours);
    if (viaReloadly) return `reloadly ${viaReloadly}`;
    return stockOf.get(orderId)!.n > 0 ? "stock" : undefined;
  }

  async function releaseWhenHeld(orderId: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const row = heldRow.get(orderId);
      if (row?.status === "needs_review" && row.risk_held_at !== null) break;
      // Not held (the rules passed it, or a refund or dispute at Stripe came first): nothing to release.
      if ((row && !["awaiting_payment", "paid"].includes(row.status)) || Date.now() > deadline) return;
      await sleep(200);
    }
    await sleep(releaseRandom() * 1_500);
    const placed = placedAnywhere(orderId);
    if (placed) placedBeforeRelease.set(orderId, placed);
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const since = telegram.version;
        telegram.sendText(1, `/release ${orderId}`);
        const asked = (m: ChatMessage) => m.buttons.flat().some((b) => b.callback_data?.startsWith("cf:")) && stripHtml(m.text).includes(`Release order ${orderId}?`);
        const question = await telegram.waitFor(1, (m) => m.version > since && m.from === "bot" && stripHtml(m.text).includes(orderId) && (asked(m) || /only orders held/.test(m.text)), 6_000);
        if (!asked(question)) return; // refunded or disputed meanwhile: no longer held
        const tapped = telegram.version;
        telegram.tap(1, question.message_id, question.buttons.flat().find((b) => b.callback_data?.startsWith("cf:"))!.callback_data!);
        const answer = await telegram.waitFor(1, (m) => m.message_id === question.message_id && m.version > tapped && m.buttons.length === 0, 6_000);
        if (stripHtml(answer.text).includes("released")) {
          count("fraud: held orders released by the admin");
          return;
        }
      } catch {
        // the shop is down (a kill), or the question died with it: ask again
      }
      await sleep(500);
    }
  }
  const leaving = new Set<number>();
  let opened = 0;
  let nextKillAt = options.kills > 0 ? Math.floor(options.orders / (options.kills + 1)) : Infinity;
  let killing: Promise<void> = Promise.resolve();

  async function customerLoop(customerId: number): Promise<void> {
    telegram.addUser({ id: customerId, first_name: `Chaos ${customerId}`, language_code: random() < 0.3 ? "ru" : "en" });
    while (opened < options.orders && !leaving.has(customerId)) {
      opened += 1;
      const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
      const order = await openOrder(customerId, product);
      if (records.length >= nextKillAt && kills < options.kills) {
        nextKillAt += Math.floor(options.orders / (options.kills + 1));
        killing = killing.then(broadcastThenKill);
      }
      if (!order) {
        if (!leaving.has(customerId)) count("customer gave up (shop down too long)");
        continue;
      }
      const payment = pick(random, PAYMENT_FAULTS);
      if (payment !== "normal") count(`${STARS_FAULTS.has(payment) ? "stars" : "stripe"}: ${payment.replace(/^stars_?/, "").replace(/_/g, " ") || "paid in Stars"}`);
      const money: MoneyFault = STARS_FAULTS.has(payment) || !["normal", "duplicate", "out_of_order"].includes(payment) ? "none" : pick(random, MONEY_FAULTS);
      if (money !== "none") count(`stripe: ${money.replace(/_/g, " ")}`);
      // Buying the same thing again while an order is open returns that order: one record per order.
      const earlier = records.find((r) => r.orderId === order.orderId);
      if (earlier?.paid) continue;
      const card: CardFault = STARS_FAULTS.has(payment) ? "normal" : pick(random, CARD_FAULTS);
      if (card !== "normal") count(`fraud: ${card.replace(/_/g, " ")}`);
      const record: OrderRecord = earlier ?? { ...order, customerId, sku: product.sku, payment, paid: false, money, card };
      record.payment = payment;
      record.money = money;
      record.card = card;
      const cardOf = card === "risky" ? { card: { risk_level: "elevated" as const, risk_score: 72 } } : card === "shared_card" ? { card: { fingerprint: SHARED_CARD } } : {};
      if (!earlier) records.push(record);
      if (STARS_FAULTS.has(payment)) {
        record.paid = await payInStars(record, payment);
        continue;
      }
      // A few customers block the bot right after paying: the delivery meets a 403.
      if (payment === "normal" && random() < 0.04) {
        leaving.add(customerId);
        telegram.blocked.add(customerId);
        count("telegram: 403 blocked");
      }
      const session = stripe.sessions.get(order.sessionId);
      if (!session) continue;
      switch (payment) {
        case "normal": {
          record.paid = true;
          const paid = stripe.pay(order.sessionId, cardOf);
          if (money === "refund_first") {
            await moveMoney(record, paid);
            break;
          }
          await deliver(paid);
          void moveMoney(record, undefined);
          break;
        }
        case "duplicate": {
          record.paid = true;
          const signed = stripe.pay(order.sessionId, cardOf);
          await Promise.all([deliver(signed), deliver(signed)]);
          void sleep(500).then(() => deliver(signed));
          void moveMoney(record, money === "refund_first" ? signed : undefined);
          break;
        }
        case "out_of_order": {
          record.paid = true;
          const processing = stripe.signedEvent("checkout.session.completed", { ...session, payment_status: "unpaid" });
          const paid = stripe.pay(order.sessionId, cardOf);
          await deliver(paid);
          // Older news arriving after the payment: still processing, then an expiry. Neither may undo it.
          await deliver(processing);
          await deliver(stripe.signedEvent("checkout.session.expired", { ...session, status: "expired" }));
          void moveMoney(record, money === "refund_first" ? paid : undefined);
          break;
        }
        case "amount_mismatch":
          record.paid = true;
          await deliver(stripe.pay(order.sessionId, { amount_total: session.amount_total - 1 }));
          break;
        case "expired":
          session.status = "expired";
          await deliver(stripe.signedEvent("checkout.session.expired", { ...session }));
          break;
        case "abandoned":
          break;
      }
      if (record.paid && card !== "normal" && releaseRandom() < 0.5) releases.push(releaseWhenHeld(record.orderId));
    }
  }

  const customers = Array.from({ length: options.customers }, (_, i) => customerLoop(10_000 + i));
  await Promise.all(customers);
  await killing;
  await Promise.all(releases);
  watch.close();
  log(`  ${records.length} orders opened, ${records.filter((r) => r.paid).length} paid in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the pipeline to settle…`);

  // Let the pipeline finish: every paid order delivered, refunded, undeliverable or announced in review.
  // 429s are injected while customers are buying; once they stop, Telegram calms down too (a 429 comes
  // from traffic, and an alert alone in an idle chat would otherwise keep drawing them).
  clearInterval(throttle);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const statusOf = db.prepare<[string], { status: string; review_alerted_at: number | null; paid_at: number | null }>(
    "SELECT status, review_alerted_at, paid_at FROM orders WHERE id = ?",
  );
  const alertSent = db.prepare<[string, string], { n: number }>("SELECT count(*) AS n FROM alert_outbox WHERE order_id = ? AND kind = ? AND sent_at IS NOT NULL");
  const emailsInFlight = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM email_outbox WHERE order_id = ? AND status IN ('queued', 'sending')");
  const alertsWaiting = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM alert_outbox WHERE order_id = ? AND kind IN ('delivery_failed', 'email_failed') AND sent_at IS NULL AND given_up_at IS NULL");
  const SETTLED = new Set(["delivered", "refunded"]);
  const secondChargesReturned = (r: OrderRecord) =>
    r.payment !== "stars_second_charge" ||
    telegram.starTransactions
      .filter((t) => (t["source"] as { invoice_payload?: string } | undefined)?.invoice_payload === r.orderId)
      .slice(1)
      .every((t) => telegram.starRefunds.some((refund) => refund.chargeId === t.id));
  const settled = (r: OrderRecord) => {
    const row = statusOf.get(r.orderId);
    if (!row) return false;
    if (!r.paid) return true;
    // Its emails (a receipt, the codes Telegram could not deliver, a refund notice) sent or given up.
    if (emailsInFlight.get(r.orderId)!.n > 0) return false;
    // And its delivery alerts out (an order delivered by email a moment after Telegram refused it would otherwise
    // count as settled before its delivery_failed alert's cooldown has passed).
    if (alertsWaiting.get(r.orderId)!.n > 0) return false;
    if (!secondChargesReturned(r)) return false;
    if (row.status === "delivery_failed") return alertSent.get(r.orderId, "delivery_failed")!.n > 0;
    return SETTLED.has(row.status) || (row.status === "needs_review" && row.review_alerted_at !== null);
  };
  const deadline = Date.now() + options.settleTimeoutMs;
  let lastReport = Date.now();
  const broadcastRunning = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM broadcasts WHERE status = 'running'");
  while ((records.some((r) => !settled(r)) || broadcastRunning.get()!.n > 0) && Date.now() < deadline) {
    await sleep(250);
    if (process.env["CHAOS_DEBUG"] && Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      const waiting = records.filter((r) => !settled(r)).map((r) => `${r.orderId}:${statusOf.get(r.orderId)?.status}`);
      log(`  still waiting for ${waiting.length}: ${waiting.slice(0, 8).join(" ")}`);
    }
  }
  log(`  settled at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await sleep(300);

  // Stop the shop cleanly, then judge.
  await countStepErrors();
  await shop!.kill("SIGTERM");

  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  const everyOrder = db.prepare("SELECT id, status, paid_at, customer_id, chat_id, review_alerted_at FROM orders").all() as Array<{
    id: string;
    status: string;
    paid_at: number | null;
    customer_id: number;
    chat_id: number;
    review_alerted_at: number | null;
  }>;
  const byId = new Map(everyOrder.map((o) => [o.id, o]));
  const opsText = telegram.messages(OPS).map((m) => m.text).join("\n");
  const stockCipher = createCodeCipher(codeKey);
  const reservedStock = db.prepare<[string], { reserved_for: string; code_enc: string; fingerprint: string }>(
    "SELECT reserved_for, code_enc, fingerprint FROM stock_codes WHERE order_id = ? ORDER BY id",
  );
  /** Every supplier order made for a shop order, at any source; `fulfilling` unless it ended failed or refunded. */
  function supplierOrdersOf(orderId: string): Array<{ supplier: string; reference: string; fulfilling: boolean; complete: boolean; codes: string[] }> {
    const found: Array<{ supplier: string; reference: string; fulfilling: boolean; complete: boolean; codes: string[] }> = [];
    for (const reference of supplier.createdByReference.keys()) {
      if (reference !== orderId && !reference.startsWith(`${orderId}-`)) continue;
      const order = supplier.orderByReference(reference)!;
      found.push({ supplier: "generic", reference, fulfilling: order.status !== "failed", complete: order.status === "completed", codes: order.items.map((item) => item.code ?? "").filter(Boolean) });
    }
    for (const identifier of reloadly.createdByIdentifier.keys()) {
      if (identifier !== orderId && !identifier.startsWith(`${orderId}-`)) continue;
      const order = reloadly.orderByIdentifier(identifier)!;
      found.push({ supplier: "reloadly", reference: identifier, fulfilling: order.status !== "FAILED" && order.status !== "REFUNDED", complete: order.status === "SUCCESSFUL", codes: order.cards.map((card) => card.cardNumber) });
    }
    const byReference = new Map<string, string[]>();
    for (const row of reservedStock.all(orderId)) {
      byReference.set(row.reserved_for, [...(byReference.get(row.reserved_for) ?? []), stockCipher.open(row.code_enc, `stock:${row.fingerprint}`)]);
    }
    for (const [reference, codes] of byReference) found.push({ supplier: "stock", reference, fulfilling: true, complete: true, codes });
    return found;
  }

  for (const record of records) {
    const row = byId.get(record.orderId);
    if (!row) {
      violations.push(`${record.orderId}: opened in the bot but missing from the database`);
      continue;
    }
    const key = record.paid ? `paid → ${row.status}` : `unpaid → ${row.status}`;
    if (process.env["CHAOS_DEBUG"]) log(`  ${record.orderId} ${record.sku} ${key}`);
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (record.paid) {
      if (!SETTLED.has(row.status) && row.status !== "needs_review" && row.status !== "delivery_failed") violations.push(`${record.orderId}: paid but ${row.status}`);
      if (row.status === "needs_review" && (row.review_alerted_at === null || !opsText.includes(record.orderId))) {
        violations.push(`${record.orderId}: in review without an alert in the ops chat`);
      }
      if (record.payment === "amount_mismatch" && supplierOrdersOf(record.orderId).length > 0) {
        violations.push(`${record.orderId}: ordered from a supplier although Stripe's amount did not match`);
      }
    } else {
      if (supplierOrdersOf(record.orderId).length > 0) violations.push(`${record.orderId}: never paid, but ordered from a supplier`);
      if (!["awaiting_payment", "expired", "cancelled"].includes(row.status)) violations.push(`${record.orderId}: never paid, but ${row.status}`);
    }
    // One fulfilling supplier order per shop order, whatever the sources and failovers: never two suppliers.
    const fulfilling = supplierOrdersOf(record.orderId).filter((order) => order.fulfilling);
    if (fulfilling.length > 1) violations.push(`${record.orderId}: fulfilled by ${fulfilling.length} supplier orders (${fulfilling.map((o) => `${o.supplier} ${o.reference}`).join(", ")})`);
    if (row.status === "delivered" && fulfilling.length !== 1) violations.push(`${record.orderId}: delivered, but ${fulfilling.length} supplier orders fulfil it`);
    if (fulfilling.length === 1) {
      const by = `fulfilled by ${fulfilling[0]!.supplier}${fulfilling[0]!.reference === record.orderId ? "" : " after a failover"}`;
      outcomes[by] = (outcomes[by] ?? 0) + 1;
    }
  }
  // Every order that needed a person (review at any point, a code that could not be delivered) was named in the
  // ops chat, crashes or not: alerts are written with what they report and sent after a restart.
  const announced = db.prepare("SELECT DISTINCT order_id AS id, to_status AS status FROM order_events WHERE to_status IN ('needs_review', 'delivery_failed')").all() as Array<{ id: string; status: string }>;
  for (const { id, status } of announced) if (!opsText.includes(id)) violations.push(`${id}: went to ${status} but the ops chat never heard of it`);
  const givenUp = db.prepare("SELECT kind, order_id, last_error FROM alert_outbox WHERE given_up_at IS NOT NULL").all() as Array<{ kind: string; order_id: string | null; last_error: string }>;
  for (const alert of givenUp) violations.push(`alert ${alert.kind} ${alert.order_id ?? ""}: Telegram refused it for good (${alert.last_error})`);
  // Nothing the shop sent was too long for Telegram (4096 characters a message, 1024 a caption).
  for (const call of telegram.calls) {
    const text = call.method === "sendDocument" ? call.params["caption"] : call.method === "sendMessage" || call.method === "editMessageText" ? call.params["text"] : undefined;
    const limit = call.method === "sendDocument" ? 1024 : 4096;
    if (typeof text === "string" && stripHtml(text).length > limit) violations.push(`a ${call.method} to chat ${String(call.params["chat_id"])} was ${stripHtml(text).length} characters`);
  }

  for (const [reference, times] of supplier.createdByReference) {
    if (times > 1) violations.push(`${reference}: ordered from the supplier ${times} times`);
  }
  // A payment the fraud rules held reached a supplier only after the admin released it: nothing was ordered for it
  // when /release was sent, and nothing at all for one never released.
  const riskHeld = db.prepare("SELECT DISTINCT order_id AS id FROM order_events WHERE cause = 'risk_hold'").all() as Array<{ id: string }>;
  const released = new Set((db.prepare("SELECT DISTINCT order_id AS id FROM order_events WHERE cause = 'risk_released'").all() as Array<{ id: string }>).map((row) => row.id));
  for (const { id } of riskHeld) {
    const before = placedBeforeRelease.get(id);
    if (before) violations.push(`${id}: held by the fraud rules, yet ordered from a supplier (${before}) before the admin released it`);
    if (!released.has(id) && supplierOrdersOf(id).length > 0) violations.push(`${id}: held by the fraud rules and never released, yet ordered from a supplier`);
  }
  faults["fraud: orders held by the rules"] = riskHeld.length;
  const releasedAndDelivered = [...released].filter((id) => byId.get(id)?.status === "delivered").length;
  outcomes["fraud: released by the admin → delivered"] = releasedAndDelivered;

  // Never more refunded than paid (a partial refund in the dashboard, then the shop's refund of the rest, is fine).
  const refundedByIntent = new Map<string, number>();
  for (const refund of stripe.refunds) refundedByIntent.set(refund.payment_intent, (refundedByIntent.get(refund.payment_intent) ?? 0) + refund.amount);
  for (const [intent, amount] of refundedByIntent) {
    const charge = stripe.charges.get(intent);
    if (charge && amount > charge.amount) violations.push(`${intent}: refunded ${amount}, more than the ${charge.amount} paid`);
  }

  // Refunded in Stripe or disputed before delivery: the code never left after that (a message already on its way
  // when the hold came is recorded as sent_before_hold, and must have started before the hold).
  const eventsOf = db.prepare<[string], { to_status: string; cause: string; at: number; detail: string | null }>(
    "SELECT to_status, cause, at, detail FROM order_events WHERE order_id = ? ORDER BY id",
  );
  for (const record of records) {
    const events = eventsOf.all(record.orderId);
    const hold = events.find((e) => e.cause.startsWith("hold:") || e.cause === "refunded_in_stripe");
    const delivered = events.find((e) => e.to_status === "delivered" && e.cause !== "resent");
    if (record.money !== "none") {
      const key = `${record.money.replace(/_/g, " ")} → ${byId.get(record.orderId)?.status}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    // Refunded in full or disputed once the code could not be delivered (no hold applies there): it never leaves
    // after that, by a resend, the customer's return or an email (unless the dispute was won).
    const contested = events.findIndex((e) => e.to_status === "delivery_failed" && (e.cause === "charge.refunded" || e.cause === "charge.dispute.created"));
    const won = events.some((e) => e.cause === "charge.dispute.closed" && (JSON.parse(e.detail ?? "{}") as { status?: string }).status === "won");
    if (contested >= 0 && !won && events.slice(contested + 1).some((e) => e.to_status === "delivered")) {
      violations.push(`${record.orderId}: ${events[contested]!.cause} while undeliverable, yet delivered after it`);
    }
    if (!hold || !delivered) continue;
    const startedAt = (JSON.parse(delivered.detail ?? "{}") as { send_started_at?: number }).send_started_at ?? delivered.at;
    if (delivered.cause !== "sent_before_hold" || startedAt > hold.at) {
      violations.push(`${record.orderId}: held (${hold.cause}) at ${hold.at}, yet its code was sent (${delivered.cause}, started ${startedAt})`);
    }
  }

  // Every Stars charge ends in an order delivered (or in review, announced) or back on the customer's balance; never
  // charged for an order left expired or unpaid.
  const refundedCharges = new Set(telegram.starRefunds.map((r) => r.chargeId));
  const orderOfCharge = db.prepare<[string], { id: string; status: string; telegram_charge_id: string | null }>(
    "SELECT id, status, telegram_charge_id FROM orders WHERE id = ?",
  );
  let starsCharges = 0;
  for (const transaction of telegram.starTransactions) {
    const source = transaction["source"] as { invoice_payload?: string } | undefined;
    if (!source?.invoice_payload) continue;
    starsCharges += 1;
    if (refundedCharges.has(transaction.id)) continue;
    const order = orderOfCharge.get(source.invoice_payload);
    if (!order) {
      violations.push(`Stars charge ${transaction.id}: names no order, and was not returned`);
      continue;
    }
    if (order.telegram_charge_id !== transaction.id) {
      violations.push(`Stars charge ${transaction.id} of ${order.id}: not the order's charge (${order.telegram_charge_id}), and not returned`);
    } else if (!["delivered", "delivery_failed", "needs_review", "refunded"].includes(order.status)) {
      violations.push(`Stars charge ${transaction.id} of ${order.id}: the order is ${order.status}`);
    }
  }
  faults["stars: charges made"] = starsCharges;
  faults["stars: charges returned (second or unknown)"] = [...refundedCharges].filter((id) => !records.some((r) => byId.get(r.orderId)?.status === "refunded" && orderOfCharge.get(r.orderId)?.telegram_charge_id === id)).length;

  for (const [identifier, times] of reloadly.createdByIdentifier) {
    if (times > 1) violations.push(`${identifier}: ordered from Reloadly ${times} times`);
  }
  // Codes: each reached its buyer's chat and no other; a delivered order's chat holds exactly the codes of the
  // supplier order that fulfilled it.
  const codeOwner = new Map<string, string>();
  for (const record of records) for (const order of supplierOrdersOf(record.orderId)) for (const code of order.codes) codeOwner.set(code, record.orderId);
  const botTextByChat = new Map<number, string>();
  for (const user of telegram.users()) {
    botTextByChat.set(user.id, telegram.messages(user.id).filter((m) => m.from === "bot").map((m) => (m.document ? `${m.text}\n${m.document.content}` : m.text)).join("\n"));
  }
  for (const [code, orderId] of codeOwner) {
    const buyer = byId.get(orderId)?.chat_id;
    for (const [chatId, text] of botTextByChat) {
      if (chatId !== buyer && text.includes(code)) violations.push(`${orderId}: its code reached chat ${chatId}, not the buyer's ${buyer}`);
    }
  }
  // Emails: what the shop's outbox says, against what the mail server received (by Message-ID: <purpose.order.row@…>).
  const channelOf = new Map((db.prepare("SELECT id, delivery_channel AS channel FROM orders").all() as Array<{ id: string; channel: string | null }>).map((row) => [row.id, row]));
  const received = new Map<string, string[]>();
  for (const mail of smtp.mails) received.set(mail.messageId ?? "", [...(received.get(mail.messageId ?? "") ?? []), mail.text]);
  const mailTextOf = (orderId: string) => smtp.mails.filter((mail) => mail.messageId?.includes(`.${orderId}.`) && /^<(delivery|resend-\d+)\./.test(mail.messageId)).map((mail) => mail.text).join("\n");
  const emailRows = db.prepare("SELECT id, order_id, customer_id, purpose, status FROM email_outbox").all() as Array<{ id: number; order_id: string | null; customer_id: number; purpose: string; status: string }>;
  let duplicates = 0;
  for (const row of emailRows) {
    const copies = received.get(`<${row.purpose}.${row.order_id ?? `c${row.customer_id}`}.${row.id}@chaos.example>`)?.length ?? 0;
    if (row.status === "sent" && copies === 0) violations.push(`email ${row.id} (${row.purpose} of ${row.order_id}): marked sent, but the mail server never took it`);
    if (row.status !== "sent" && row.status !== "given_up") violations.push(`email ${row.id} (${row.purpose} of ${row.order_id}): still ${row.status} at the end`);
    if (row.status === "given_up" && row.order_id && !opsText.includes(row.order_id)) violations.push(`email ${row.id} (${row.purpose} of ${row.order_id}): given up, but the ops chat never heard of it`);
    // The documented window: a crash after the server took it and before the commit sends it once more, no more.
    if (copies > 1) duplicates += copies - 1;
    if (copies > 1 + kills) violations.push(`email ${row.id} (${row.purpose} of ${row.order_id}): received ${copies} times across ${kills} crashes`);
  }
  // At most one duplicate per email in flight (4 at a time) per crash.
  if (duplicates > kills * 4) violations.push(`${duplicates} duplicate emails, more than ${kills} crashes can explain`);
  // Every order delivered by email has its codes' email sent.
  for (const [id, row] of channelOf) {
    if (row.channel !== "email") continue;
    if (!emailRows.some((email) => email.order_id === id && email.status === "sent" && /^(delivery|resend-\d+)$/.test(email.purpose))) violations.push(`${id}: delivered by email, but no email with its codes was sent`);
  }
  faults["email: sent"] = emailRows.filter((row) => row.status === "sent").length;
  faults["email: given up"] = emailRows.filter((row) => row.status === "given_up").length;
  faults["email: duplicates from a crash"] = duplicates;
  faults["delivery: by email (Telegram refused)"] = [...channelOf.values()].filter((row) => row.channel === "email").length;

  const deliveredAs = { messages: 0, document: 0 };
  const sentEvent = db.prepare<[string], { detail: string | null }>("SELECT detail FROM order_events WHERE order_id = ? AND to_status = 'delivered' ORDER BY id LIMIT 1");
  for (const record of records) {
    const row = byId.get(record.orderId);
    if (row?.status !== "delivered") continue;
    const detail = JSON.parse(sentEvent.get(record.orderId)?.detail ?? "{}") as { as?: string; messages?: number };
    if (detail.as === "document") deliveredAs.document += 1;
    else if ((detail.messages ?? 1) > 1) deliveredAs.messages += 1;
    const [fulfilling] = supplierOrdersOf(record.orderId).filter((order) => order.fulfilling);
    // Delivered by email (Telegram could not take it): the codes are in the mail the server received, not the chat.
    const byEmail = channelOf.get(record.orderId)?.channel === "email";
    const text = byEmail ? mailTextOf(record.orderId) : (botTextByChat.get(record.customerId) ?? "");
    if (!fulfilling?.complete) {
      violations.push(`${record.orderId}: delivered, but its supplier order is ${fulfilling ? "not complete" : "missing"}`);
      continue;
    }
    for (const code of fulfilling.codes) {
      // In a message, copyable; in a file, a line of its own ("Code: …", "Код: …").
      if (byEmail ? !text.includes(`: ${code}`) : !text.includes(`<code>${code}</code>`) && !text.includes(`: ${code}\n`)) {
        violations.push(`${record.orderId}: delivered${byEmail ? " by email" : ""}, but its code is not in the buyer's ${byEmail ? "email" : "chat"}`);
      }
    }
  }
  // The broadcast: every customer who has not blocked the bot got it; a second copy only at a crash point.
  if (broadcastStarted) {
    const job = db.prepare("SELECT status, sent, blocked, failed FROM broadcasts WHERE id = 1").get() as { status: string } | undefined;
    if (job?.status !== "done") violations.push(`the broadcast ended ${job?.status ?? "missing"}, not done`);
    const known = db.prepare("SELECT id FROM customers").all() as Array<{ id: number }>;
    let duplicates = 0;
    for (const { id } of known) {
      const copies = telegram.messages(id).filter((m) => m.from === "bot" && m.copiedFrom !== undefined && m.text === BROADCAST_TEXT).length;
      if (copies > 2) violations.push(`customer ${id} got the broadcast ${copies} times`);
      duplicates += Math.max(0, copies - 1);
      if (copies === 0 && !telegram.blocked.has(id)) violations.push(`customer ${id} never got the broadcast, and has not blocked the bot`);
    }
    if (duplicates > kills) violations.push(`${duplicates} customers got the broadcast twice, more than the ${kills} crash points`);
    faults["broadcast: a second copy at a crash point"] = duplicates;
  }
  // No code rests in plaintext: not in the database file, its WAL, or a backup of it.
  const backupPath = join(dir, "backup.sqlite");
  await backupDatabase(dbPath, backupPath);
  const everyCode = [...codeOwner.keys()];
  for (const file of [dbPath, `${dbPath}-wal`, backupPath]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file).toString("latin1");
    const found = everyCode.filter((code) => bytes.includes(code));
    if (found.length > 0) violations.push(`${found.length} code(s) in plaintext in ${file}`);
  }
  db.close();
  await Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close(), smtp.close()]);
  if (violations.length === 0) rmSync(dir, { recursive: true, force: true });
  else log(`  kept the run's files in ${dir}`);

  faults["telegram: 429 sent to the shop"] = telegram.calls.filter((c) => c.status === 429).length;
  faults["database: delivery commit refused (unexpected step error)"] = stepErrors;
  faults["delivery: split into several messages"] = deliveredAs.messages;
  faults["delivery: sent as a .txt file"] = deliveredAs.document;
  return { seed: options.seed, orders: records.length, kills, faults, outcomes, violations, seconds: (Date.now() - started) / 1000 };
}

export function formatReport(report: ChaosReport): string {
  const rows: Array<[string, string | number]> = [
    ["orders", report.orders],
    ["seed", report.seed],
    ["SIGKILLs of the shop", report.kills],
    ...Object.entries(report.faults).sort().map(([name, n]) => [`fault · ${name}`, n] as [string, number]),
    ...Object.entries(report.outcomes).sort().map(([name, n]) => [`outcome · ${name}`, n] as [string, number]),
    ["invariant violations", report.violations.length],
    ["time taken", `${report.seconds.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = ["| what | count |", "|---|---|", ...rows.map(([name, value]) => `| ${name.padEnd(width)} | ${value} |`)];
  if (report.violations.length > 0) lines.push("", "Violations:", ...report.violations.slice(0, 50).map((v) => `- ${v}`));
  return lines.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? Number(process.argv[index + 1]) : fallback;
  };
  const orders = arg("orders", 1000);
  const options: ChaosOptions = {
    orders,
    customers: arg("customers", 40),
    kills: arg("kills", 6),
    seed: arg("seed", Math.floor(Math.random() * 2 ** 31)),
    settleTimeoutMs: arg("settle", 120_000),
    log: (line) => console.log(line),
  };
  console.log(`chaos run: ${options.orders} orders, ${options.customers} customers, ${options.kills} kills, seed ${options.seed}`);
  runChaos(options)
    .then((report) => {
      console.log(formatReport(report));
      process.exit(report.violations.length === 0 ? 0 : 1);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
