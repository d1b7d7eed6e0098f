// The chaos run: N orders through the real shop process (spawned, on loopback) while faults are injected
// at random: supplier errors, timeouts, dropped connections, webhooks duplicated/late/out of order/missing,
// untrustworthy answers, no balance, long codes; Stripe events duplicated, out of order, expired, mismatched;
// Telegram 429s and blocked customers; deliveries too long for one message (ten long codes, a supplier's long
// instructions); the database refusing some writes (unexpected step errors); and the shop itself killed with
// SIGKILL and restarted. Then it checks, from the database and from what the fakes recorded, that nothing paid
// was lost or doubled, and that every order that needed a person was announced in the ops chat.
//
//   npm run chaos -- --orders 1000 --kills 6 --seed 42
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
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

const PAYMENT_FAULTS = { normal: 62, duplicate: 10, out_of_order: 8, amount_mismatch: 5, expired: 8, abandoned: 7 } as const;
type PaymentFault = keyof typeof PAYMENT_FAULTS;

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
] as const;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface OrderRecord {
  orderId: string;
  customerId: number;
  sessionId: string;
  sku: string;
  payment: PaymentFault;
  paid: boolean;
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
    SUPPLIER_API_URL: supplier.url,
    SUPPLIER_API_KEY: "chaos-key",
    SUPPLIER_WEBHOOK_SECRET: "chaos-supplier-secret-123",
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
    CODE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    MAX_UNPAID_ORDERS: "50",
    MAX_ORDERS_PER_HOUR: "10000",
    WORKER_CONCURRENCY: "32",
    LOG_LEVEL: "warn",
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
        // What follows Buy: the Pay button, the quantity question, or (a top-up) the recipient question with only Cancel.
        const asksRecipient = (m: ChatMessage) => m.buttons.flat().length === 1 && m.buttons.flat()[0]!.callback_data === "cc";
        const next = await wait((m) => m.version > tapped && (m.buttons.flat().some((b) => b.url || b.callback_data === "q:1") || asksRecipient(m)));
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

  const records: OrderRecord[] = [];
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
        killing = killing.then(killShop);
      }
      if (!order) {
        count("customer gave up (shop down too long)");
        continue;
      }
      const payment = pick(random, PAYMENT_FAULTS);
      if (payment !== "normal") count(`stripe: ${payment.replace(/_/g, " ")}`);
      // Buying the same thing again while an order is open returns that order: one record per order.
      const earlier = records.find((r) => r.orderId === order.orderId);
      const record: OrderRecord = earlier ?? { ...order, customerId, sku: product.sku, payment, paid: false };
      record.payment = payment;
      if (!earlier) records.push(record);
      // A few customers block the bot right after paying: the delivery meets a 403.
      if (payment === "normal" && random() < 0.04) {
        leaving.add(customerId);
        telegram.blocked.add(customerId);
        count("telegram: 403 blocked");
      }
      const session = stripe.sessions.get(order.sessionId);
      if (!session) continue;
      switch (payment) {
        case "normal":
          record.paid = true;
          await deliver(stripe.pay(order.sessionId));
          break;
        case "duplicate": {
          record.paid = true;
          const signed = stripe.pay(order.sessionId);
          await Promise.all([deliver(signed), deliver(signed)]);
          void sleep(500).then(() => deliver(signed));
          break;
        }
        case "out_of_order": {
          record.paid = true;
          const processing = stripe.signedEvent("checkout.session.completed", { ...session, payment_status: "unpaid" });
          const paid = stripe.pay(order.sessionId);
          await deliver(paid);
          // Older news arriving after the payment: still processing, then an expiry. Neither may undo it.
          await deliver(processing);
          await deliver(stripe.signedEvent("checkout.session.expired", { ...session, status: "expired" }));
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
    }
  }

  const customers = Array.from({ length: options.customers }, (_, i) => customerLoop(10_000 + i));
  await Promise.all(customers);
  await killing;
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
  const SETTLED = new Set(["delivered", "refunded"]);
  const settled = (r: OrderRecord) => {
    const row = statusOf.get(r.orderId);
    if (!row) return false;
    if (!r.paid) return true;
    if (row.status === "delivery_failed") return alertSent.get(r.orderId, "delivery_failed")!.n > 0;
    return SETTLED.has(row.status) || (row.status === "needs_review" && row.review_alerted_at !== null);
  };
  const deadline = Date.now() + options.settleTimeoutMs;
  let lastReport = Date.now();
  while (records.some((r) => !settled(r)) && Date.now() < deadline) {
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
      if (record.payment === "amount_mismatch" && supplier.createdByReference.has(record.orderId)) {
        violations.push(`${record.orderId}: ordered from the supplier although Stripe's amount did not match`);
      }
    } else {
      if (supplier.createdByReference.has(record.orderId)) violations.push(`${record.orderId}: never paid, but ordered from the supplier`);
      if (!["awaiting_payment", "expired", "cancelled"].includes(row.status)) violations.push(`${record.orderId}: never paid, but ${row.status}`);
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
  const refundsByIntent = new Map<string, number>();
  for (const refund of stripe.refunds) refundsByIntent.set(refund.payment_intent, (refundsByIntent.get(refund.payment_intent) ?? 0) + 1);
  for (const [intent, times] of refundsByIntent) if (times > 1) violations.push(`${intent}: refunded ${times} times`);

  // Codes: each reached its buyer's chat and no other; a delivered order's chat holds exactly the issued codes.
  const codeOwner = new Map<string, string>();
  for (const record of records) {
    const issued = supplier.orderByReference(record.orderId);
    for (const item of issued?.items ?? []) if (item.code) codeOwner.set(item.code, record.orderId);
  }
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
  const deliveredAs = { messages: 0, document: 0 };
  const sentEvent = db.prepare<[string], { detail: string | null }>("SELECT detail FROM order_events WHERE order_id = ? AND to_status = 'delivered' ORDER BY id LIMIT 1");
  for (const record of records) {
    const row = byId.get(record.orderId);
    if (row?.status !== "delivered") continue;
    const detail = JSON.parse(sentEvent.get(record.orderId)?.detail ?? "{}") as { as?: string; messages?: number };
    if (detail.as === "document") deliveredAs.document += 1;
    else if ((detail.messages ?? 1) > 1) deliveredAs.messages += 1;
    const issued = supplier.orderByReference(record.orderId);
    const text = botTextByChat.get(record.customerId) ?? "";
    if (!issued || issued.status !== "completed") {
      violations.push(`${record.orderId}: delivered, but the supplier's order is ${issued?.status ?? "missing"}`);
      continue;
    }
    for (const item of issued.items) {
      // In a message, copyable; in a file, a line of its own ("Code: …", "Код: …").
      if (!text.includes(`<code>${item.code}</code>`) && !text.includes(`: ${item.code}\n`)) violations.push(`${record.orderId}: delivered, but its code is not in the buyer's chat`);
    }
  }
  db.close();
  await Promise.all([telegram.close(), stripe.close(), supplier.close()]);
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
