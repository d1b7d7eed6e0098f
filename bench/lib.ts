// Shared by the benchmarks: percentiles, a result line that run-all.ts collects, and order seeding.
import { execSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { getProduct, readCatalogFile, syncCatalog } from "../src/catalog/catalog.js";
import { openDatabase, type Db } from "../src/db/connection.js";
import { customers, orders } from "../src/db/schema.js";
import { storeItems } from "../src/fulfilment/supplier-step.js";
import { createCodeCipher } from "../src/lib/crypto.js";
import { createLogger } from "../src/logger.js";
import { createOrder, transition } from "../src/orders/state-machine.js";
import { snapshotOf } from "../src/payments/checkout.js";
import { startFakeStripe, type FakeStripe } from "../src/sandbox/fake-stripe.js";
import { startFakeTelegram, type FakeTelegram } from "../src/sandbox/fake-telegram.js";
import { startSupplierSimulator, type SimulatorOptions, type SupplierSimulator } from "../src/supplier/simulator.js";
import { startReloadlySimulator, type ReloadlySimulator } from "../src/supplier/reloadly/simulator.js";
import { freePort, ROOT, spawnShop, type ShopProcess } from "../test/helpers/shop-process.js";

export interface BenchRow {
  benchmark: string;
  measure: string;
  value: string;
  baseline?: string;
  ratio?: string;
  target: string;
  met: boolean | null;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Prints rows as a table, and one machine-readable line for run-all.ts. */
export function report(rows: BenchRow[]): void {
  printTable(rows);
  console.log(`BENCH_RESULT ${JSON.stringify(rows)}`);
}

export function printTable(rows: BenchRow[]): void {
  const header = ["benchmark", "measure", "value", "baseline", "ratio", "target", "met"];
  const cells = rows.map((r) => [r.benchmark, r.measure, r.value, r.baseline ?? "", r.ratio ?? "", r.target, r.met === null ? "n/a" : r.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log([line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n"));
}

let seq = 0;
/** Orders waiting for payment, each with its own customer and Checkout Session id, inserted directly. */
export function seedUnpaidOrders(db: Db, telegram: FakeTelegram, count: number, sku = "steam-20-usd", firstCustomer = 500_000): SeededOrder[] {
  const product = getProduct(db, sku)!;
  const now = Date.now();
  const logger = createLogger("silent");
  const seeded: SeededOrder[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const chatId = firstCustomer + i;
      telegram.addUser({ id: chatId, first_name: `Bench ${chatId}` });
      db.insert(customers).values({ id: chatId, chatId, language: "en", createdAt: now, updatedAt: now }).onConflictDoNothing().run();
      const orderId = `ORD-B${String(seq++).padStart(7, "0")}`;
      const sessionId = `cs_test_bench_${orderId}`;
      createOrder(
        { db, now: Date.now, logger },
        { id: orderId, customerId: chatId, chatId, sku, product: snapshotOf(product), quantity: 1, recipient: null, amount: product.priceAmount, currency: product.priceCurrency, expiresAt: now + 1_800_000, stripeSessionId: sessionId },
        "bench",
      );
      seeded.push({ orderId, chatId, sessionId, amount: product.priceAmount });
    }
  });
  return seeded;
}

/**
 * A backlog of deliveries: `count` orders already paid and fulfilled (codes stored with the shop's key),
 * spread over `chats` customers from `firstChat`, held until releaseBacklog makes them due.
 */
export function seedFulfilledOrders(db: Db, telegram: FakeTelegram, env: NodeJS.ProcessEnv, count: number, chats: number, firstChat: number): SeededOrder[] {
  const sealer = createCodeCipher(Buffer.from(String(env["CODE_ENCRYPTION_KEY"]), "hex"));
  const deps = { db, now: Date.now, logger: createLogger("silent") };
  const seeded = Array.from({ length: Math.ceil(count / chats) }, () => seedUnpaidOrders(db, telegram, chats, "steam-20-usd", firstChat)).flat().slice(0, count);
  db.transaction(() => {
    for (const [i, order] of seeded.entries()) {
      const chatId = firstChat + (i % chats);
      db.update(orders).set({ chatId, customerId: chatId }).where(eq(orders.id, order.orderId)).run();
      order.chatId = chatId;
      transition(deps, { orderId: order.orderId, from: "awaiting_payment", to: "paid", cause: "bench", actor: "bench", patch: { paidAt: Date.now(), nextAttemptAt: null } });
      transition(deps, {
        orderId: order.orderId,
        from: "paid",
        to: "fulfilled",
        cause: "bench",
        actor: "bench",
        patch: { paidNoticeAt: Date.now(), nextAttemptAt: Number.MAX_SAFE_INTEGER },
        also: () => storeItems({ sealer, db }, order.orderId, [{ code: `BENCH-${i}`, pin: null, serial: null, expiresAt: null }], "bench", Date.now()),
      });
    }
  });
  return seeded;
}

/** Makes every seeded delivery due now (the shop's worker picks them up at its next look). */
export function releaseBacklog(db: Db): number {
  const at = Date.now();
  db.update(orders).set({ nextAttemptAt: at }).where(eq(orders.status, "fulfilled")).run();
  return at;
}

export interface SeededOrder {
  orderId: string;
  chatId: number;
  sessionId: string;
  amount: number;
}

/**
 * The signed checkout.session.completed Stripe would send for a seeded order. The fake Stripe learns the session
 * first, so that paying it records a charge (Radar outcome, card fingerprint): the shop's risk step reads it
 * through the payment intent, one Stripe API call per order, as in production.
 */
export function paidEvent(stripe: FakeStripe, order: SeededOrder) {
  if (!stripe.sessions.has(order.sessionId)) {
    const created = Math.floor(Date.now() / 1000);
    stripe.sessions.set(order.sessionId, {
      id: order.sessionId,
      object: "checkout.session",
      url: `${stripe.url}/pay/${order.sessionId}`,
      status: "open",
      payment_status: "unpaid",
      amount_total: order.amount,
      currency: "usd",
      client_reference_id: order.orderId,
      metadata: { order_id: order.orderId },
      expires_at: created + 1_800,
      payment_intent: `pi_bench_${order.orderId}`,
      success_url: "https://t.me/bench",
      cancel_url: "https://t.me/bench",
      mode: "payment",
      allowed_payment_method_types: ["card"],
      line_items: [],
      locale: "auto",
      created,
      // Checkout collects the email; the shop keeps it sealed with the order.
      customer_details: { email: `buyer${order.chatId}@example.com`, name: null },
    });
  }
  return stripe.pay(order.sessionId);
}

let built = false;
/**
 * The shop as production runs it: compiled (npm run build → dist/main.js), not through tsx. Built once per
 * benchmark process unless BENCH_SKIP_BUILD is set (run-all builds before it starts).
 */
export function buildShop(): string {
  if (!built && !process.env["BENCH_SKIP_BUILD"]) {
    execSync("npx tsc -p tsconfig.build.json", { cwd: ROOT, stdio: "inherit" });
    built = true;
  }
  return join(ROOT, "dist/main.js");
}

/** The Node.js flags production runs with (Dockerfile, npm start): a heap sized for the shop. */
export const PRODUCTION_NODE_FLAGS = ["--max-old-space-size=80", "--max-semi-space-size=1"];
export function nodeFlags(): string[] {
  return process.env["BENCH_NODE_FLAGS"] !== undefined ? process.env["BENCH_NODE_FLAGS"].split(" ").filter(Boolean) : PRODUCTION_NODE_FLAGS;
}

export const BENCH_TOKEN = "123456:BENCH-token-for-the-fake-bot-api";
export const BENCH_WEBHOOK_SECRET = "whsec_bench_secret";

export interface BenchEnvironment {
  dir: string;
  dbPath: string;
  db: Db;
  telegram: FakeTelegram;
  stripe: FakeStripe;
  supplier: SupplierSimulator;
  reloadly: ReloadlySimulator;
  env: NodeJS.ProcessEnv;
  shopUrl: string;
  /** Starts the real shop as its own process (the fakes stay in this one). */
  start(): Promise<ShopProcess>;
  close(): Promise<void>;
}

/** Fakes in this process, a database prepared with the catalog, and the environment for a shop process. */
export async function benchEnvironment(overrides: Record<string, string> = {}, simulator: Partial<SimulatorOptions> = {}): Promise<BenchEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const dbPath = join(dir, "shop.sqlite");
  const db = openDatabase(dbPath);
  syncCatalog(db, readCatalogFile(join(ROOT, "catalog.example.json")), Date.now());
  const telegram = await startFakeTelegram({ token: BENCH_TOKEN });
  telegram.addGroup(-100_777);
  const stripe = await startFakeStripe({ webhookSecret: BENCH_WEBHOOK_SECRET });
  const supplier = await startSupplierSimulator({ apiKey: "bench-key", webhookSecret: "bench-supplier-secret-1", balance: { amount: 1e12, currency: "USD" }, ...simulator });
  const reloadly = await startReloadlySimulator({ clientId: "bench-reloadly", clientSecret: "bench-reloadly-secret", balance: { amount: 1e12, currency: "USD" } });
  const port = await freePort();
  const shopUrl = `http://127.0.0.1:${port}`;
  stripe.setWebhookUrl(`${shopUrl}/webhooks/stripe`);
  supplier.setWebhookUrl(`${shopUrl}/webhooks/supplier`);
  const env: NodeJS.ProcessEnv = {
    // The Dockerfile's malloc setting (MALLOC_ARENA_MAX in the environment overrides it, e.g. 16: glibc's default here).
    MALLOC_ARENA_MAX: "2",
    ...process.env,
    BOT_TOKEN: BENCH_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    OPS_CHAT_ID: "-100777",
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
    STRIPE_API_URL: stripe.url,
    SUPPLIER_API_URL: supplier.url,
    SUPPLIER_API_KEY: "bench-key",
    SUPPLIER_WEBHOOK_SECRET: "bench-supplier-secret-1",
    RELOADLY_CLIENT_ID: "bench-reloadly",
    RELOADLY_CLIENT_SECRET: "bench-reloadly-secret",
    RELOADLY_AUTH_URL: reloadly.authUrl,
    RELOADLY_GIFTCARDS_URL: reloadly.giftcardsUrl,
    RELOADLY_TOPUPS_URL: reloadly.topupsUrl,
    DATABASE_PATH: dbPath,
    HTTP_PORT: String(port),
    HTTP_HOST: "127.0.0.1",
    CATALOG_PATH: join(ROOT, "catalog.example.json"),
    SUPPORT_CONTACT: "@bench",
    CODE_ENCRYPTION_KEY: "ab".repeat(32),
    MAX_UNPAID_ORDERS: "100",
    MAX_ORDERS_PER_HOUR: "10000",
    LOG_LEVEL: "warn",
    ...overrides,
  };
  let shop: ShopProcess | undefined;
  return {
    dir,
    dbPath,
    db,
    telegram,
    stripe,
    supplier,
    reloadly,
    env,
    shopUrl,
    async start() {
      shop = await spawnShop(env, { cwd: dir, logFile: join(dir, "shop.log"), entry: [...nodeFlags(), buildShop()] });
      return shop;
    },
    async close() {
      await shop?.kill("SIGTERM");
      db.$client.close();
      await Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postAll<T>(items: T[], concurrency: number, send: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await send(items[next++]!);
    }),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
