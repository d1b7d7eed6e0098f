// Bot updates: catalog browsing (/start, category, brand, product, back) through the real middleware stack
// (sequentialize, customer upsert, i18n, conversations, features) via handleUpdate, with a recorded API
// that answers at once, against a bare grammY bot with one handler, in the same process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot, type Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { createBot } from "../src/bot/bot.js";
import { createI18n } from "../src/bot/i18n.js";
import { readCatalogFile, syncCatalog } from "../src/catalog/catalog.js";
import { openDatabase } from "../src/db/connection.js";
import { createCodeCipher } from "../src/lib/crypto.js";
import { createOrderId } from "../src/lib/ids.js";
import { createLogger } from "../src/logger.js";
import { createStripeClient } from "../src/payments/stripe-client.js";
import { ROOT } from "../test/helpers/shop-process.js";
import { fmt, report, type BenchRow } from "./lib.js";

const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 5);
const botInfo: UserFromGetMe = {
  id: 1, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false,
  supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false,
} as UserFromGetMe;

/** An API that records nothing and answers every call at once with a plausible result. */
function recordedApi(bot: Bot<never> | Bot<Context>): void {
  let messageId = 0;
  bot.api.config.use(async (_prev, method, payload) => {
    const chat = { id: Number((payload as { chat_id?: number }).chat_id ?? 1), type: "private" as const, first_name: "x" };
    const result = method.startsWith("send") || method.startsWith("edit") ? { message_id: ++messageId, date: 0, chat, text: "" } : true;
    return { ok: true, result } as never;
  });
}

function browsingUpdates(users: number): Update[] {
  const updates: Update[] = [];
  let id = 1;
  const message = (user: number, text: string): Update => ({
    update_id: id++,
    message: {
      message_id: id, date: 0, chat: { id: user, type: "private", first_name: "u" }, from: { id: user, is_bot: false, first_name: "u", language_code: "en" }, text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] } : {}),
    },
  });
  const tap = (user: number, data: string): Update => ({
    update_id: id++,
    callback_query: {
      id: String(id), chat_instance: "x", data, from: { id: user, is_bot: false, first_name: "u", language_code: "en" },
      message: { message_id: 1, date: 0, chat: { id: user, type: "private", first_name: "u" }, from: { id: 1, is_bot: true, first_name: "b" }, text: "x" },
    },
  });
  for (let user = 1; user <= users; user++) {
    updates.push(message(user, "/start"), tap(user, "c:gift-cards:0"), tap(user, "g:gift-cards:steam-wallet:0"), tap(user, "p:steam-20-usd"), tap(user, "g:gift-cards:steam-wallet:0"), tap(user, "c"));
  }
  return updates;
}

async function measure(handle: (update: Update) => Promise<void>, updates: Update[]): Promise<number> {
  let handled = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (const update of updates) await handle(structuredClone(update));
    handled += updates.length;
  }
  return handled / ((performance.now() - started) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), "bench-bot-"));
const db = openDatabase(join(dir, "bot.sqlite"));
syncCatalog(db, readCatalogFile(join(ROOT, "catalog.example.json")), Date.now());
const i18n = createI18n(() => "en");
const shopBot = createBot(
  "1:BENCH-token-for-the-recorded-api-0000",
  {
    db, logger: createLogger("silent"), now: Date.now, stripe: createStripeClient("sk_test_bench", "http://127.0.0.1:9"), newOrderId: createOrderId,
    sealer: createCodeCipher(Buffer.alloc(32)), t: (locale, key, vars) => i18n.t(locale, key, vars), shopName: "Bench", supportContact: "@bench",
    adminUserIds: [], opsChatId: -1, limits: { maxUnpaidOrders: 3, maxOrdersPerHour: 20 },
    paymentMethods: ["stripe"], onStarsPayment: () => undefined, onCustomerBack: () => undefined, alerts: { raise: () => undefined }, notify: () => undefined,
    email: { mode: "off", shopName: "Bench", wake: () => undefined },
  },
  { botInfo, pacer: false },
);
recordedApi(shopBot as never);
const bare = new Bot("1:BENCH-token-for-the-recorded-api-0000", { botInfo });
recordedApi(bare);
bare.on("message", (ctx) => ctx.reply("hi"));
bare.on("callback_query", (ctx) => ctx.answerCallbackQuery());

const updates = browsingUpdates(200);
await measure((u) => bare.handleUpdate(u), updates.slice(0, 60)); // warm-up
await measure((u) => shopBot.handleUpdate(u), updates.slice(0, 60));
const bareRate = await measure((u) => bare.handleUpdate(u), updates);
const shopRate = await measure((u) => shopBot.handleUpdate(u), updates);
db.$client.close();
rmSync(dir, { recursive: true, force: true });

const rows: BenchRow[] = [
  {
    benchmark: "bot updates",
    measure: "catalog browsing via handleUpdate, recorded API",
    value: `${fmt(shopRate)} updates/s`,
    baseline: `${fmt(bareRate)} updates/s (bare grammY bot, one handler)`,
    ratio: `${fmt(shopRate / bareRate, 2)}×`,
    target: "≥ 0.5 × bare",
    met: shopRate >= 0.5 * bareRate,
  },
];
report(rows);
process.exit(0);
