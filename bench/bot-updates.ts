// Bot updates: catalog browsing (/start, category, brand, product, back) through the real middleware stack
// (sequentialize, customer upsert, i18n, conversations, features, the screen cache) via handleUpdate, with
// a recorded API that answers at once, against a bare grammY bot with one handler, in the same process.
// The shop's code is the compiled build (dist/), as production runs it: through tsx every function carries
// esbuild's naming helper.
// Updates are built fresh for every round (as JSON.parse would give them), outside the timed part of both.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot, type Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { pathToFileURL } from "node:url";
import { ROOT } from "../test/helpers/shop-process.js";
import { buildShop, fmt, report, type BenchRow } from "./lib.js";

buildShop();
const compiled = <T>(path: string): Promise<T> => import(pathToFileURL(join(ROOT, "dist", path)).href) as Promise<T>;
const { createBot } = await compiled<typeof import("../src/bot/bot.js")>("bot/bot.js");
const { createI18n } = await compiled<typeof import("../src/bot/i18n.js")>("bot/i18n.js");
const { readCatalogFile, syncCatalog } = await compiled<typeof import("../src/catalog/catalog.js")>("catalog/catalog.js");
const { openDatabase } = await compiled<typeof import("../src/db/connection.js")>("db/connection.js");
const { createCodeCipher } = await compiled<typeof import("../src/lib/crypto.js")>("lib/crypto.js");
const { createOrderId } = await compiled<typeof import("../src/lib/ids.js")>("lib/ids.js");
const { createLogger } = await compiled<typeof import("../src/logger.js")>("logger.js");
const { createStripeClient } = await compiled<typeof import("../src/payments/stripe-client.js")>("payments/stripe-client.js");

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

/**
 * Updates a second over SECONDS, by the wall clock and per second of this process's CPU time (on a machine
 * shared with other work the second is the steadier figure). Each round's updates are built before its
 * clocks start.
 */
async function measure(handle: (update: Update) => Promise<void>, makeUpdates: () => Update[], seconds = SECONDS): Promise<{ wall: number; cpu: number }> {
  let handled = 0;
  let wall = 0;
  let cpu = 0;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const updates = makeUpdates();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (const update of updates) await handle(update);
    const used = process.cpuUsage(cpuBefore);
    cpu += (used.user + used.system) / 1000;
    wall += performance.now() - started;
    handled += updates.length;
  }
  return { wall: handled / (wall / 1000), cpu: handled / (cpu / 1000) };
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

const updates = () => browsingUpdates(200);
await measure((u) => bare.handleUpdate(u), updates, 1); // warm-up
await measure((u) => shopBot.handleUpdate(u), updates, 1);
const bareRate = await measure((u) => bare.handleUpdate(u), updates);
const shopRate = await measure((u) => shopBot.handleUpdate(u), updates);
db.$client.close();
rmSync(dir, { recursive: true, force: true });

const rows: BenchRow[] = [
  {
    benchmark: "bot updates",
    measure: "catalog browsing via handleUpdate, recorded API",
    value: `${fmt(shopRate.wall)} updates/s (${fmt(shopRate.cpu)} per CPU-second)`,
    baseline: `${fmt(bareRate.wall)} updates/s (${fmt(bareRate.cpu)} per CPU-second; bare grammY bot, one handler)`,
    ratio: `${fmt(shopRate.wall / bareRate.wall, 2)}×`,
    target: "≥ 15,000 updates/s",
    met: shopRate.wall >= 15_000,
  },
];
report(rows);
process.exit(0);
