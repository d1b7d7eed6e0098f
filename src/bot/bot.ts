// createBot: the grammY bot with its middleware in order (customer, i18n, conversations, features, the
// fallback), auto-retry on the API, and one error boundary. Dependencies come in; nothing is global.
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Middleware, type NextFunction } from "grammy";
import type { LanguageCode, UserFromGetMe } from "grammy/types";
import { markCustomerBlocked, upsertCustomer, type CustomerRow } from "../customers/repository.js";
import { isPermanentTelegramRefusal } from "../fulfilment/delivery.js";
import type { BaseContext, ShopContext } from "./context.js";
import { sqliteConversationStorage } from "./conversation-storage.js";
import type { BotDeps } from "./deps.js";
import { checkoutFeature, CHECKOUT_CONVERSATION_VERSION } from "./features/checkout.js";
import { emailFeature } from "./features/email.js";
import { membershipFeature } from "./features/membership.js";
import { ordersFeature } from "./features/orders.js";
import { shopFeature } from "./features/shop.js";
import { starsFeature } from "./features/stars.js";
import { fallbackFeature, supportFeature, CUSTOMER_COMMANDS } from "./features/support.js";
import { createI18n } from "./i18n.js";
import { createPacer, type Pacer } from "./pacing.js";
import { beneathReplay, telegramTransformers } from "./telegram-api.js";
import { DEFAULT_LOCALE, SHIPPED_LOCALES, telegramLanguageCode } from "../lib/locales.js";

export interface CreateBotOptions {
  apiRoot?: string;
  /** Known bot identity (tests), to skip getMe. */
  botInfo?: UserFromGetMe;
  /** Admin and ops features, added by the composition root (app.ts) after the customer ones. */
  extraFeatures?: Array<Middleware<ShopContext>>;
  /**
   * Keeps Telegram's send limits (see pacing.ts); false turns it off (tests that count every message). The
   * bot's own API (replies to the update being handled) sends in the "interactive" lane.
   */
  pacer?: Pacer | false;
}

export function createBot(token: string, deps: BotDeps, options: CreateBotOptions = {}): Bot<ShopContext> {
  const bot = new Bot<ShopContext>(token, {
    client: { apiRoot: options.apiRoot ?? "https://api.telegram.org" },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  const pacer = options.pacer === undefined ? createPacer() : options.pacer;
  const replies = telegramTransformers(pacer, "interactive");
  bot.api.config.use(...replies);

  const i18n = createI18n<BaseContext>((ctx) => ctx.customer?.language);

  // Customers seen in the last minute, with what Telegram said of them then: a customer browsing sends many
  // updates, and writing the same row for each was the bot's largest cost (docs/BENCHMARKS.md).
  const recentlySeen = new Map<number, { row: CustomerRow; fingerprint: string; at: number }>();

  /** Per-update logger and the customer row; the same middleware runs inside conversations. */
  const identify = async (ctx: BaseContext, next: NextFunction): Promise<void> => {
    // Built when first used: most updates log nothing, and a pino child per update was a visible cost.
    let logger: BaseContext["logger"] | undefined;
    Object.defineProperty(ctx, "logger", { get: () => (logger ??= deps.logger.child({ update_id: ctx.update.update_id })), configurable: true });
    if (ctx.from && !ctx.from.is_bot && ctx.chat?.type === "private") {
      const now = deps.now();
      const user = { id: ctx.from.id, chatId: ctx.chat.id, username: ctx.from.username, firstName: ctx.from.first_name, languageCode: ctx.from.language_code };
      const fingerprint = `${user.chatId}|${user.username ?? ""}|${user.firstName ?? ""}|${user.languageCode ?? ""}`;
      const seen = recentlySeen.get(user.id);
      if (seen && seen.fingerprint === fingerprint && now - seen.at < 60_000 && seen.row.blockedAt === null) {
        ctx.customer = seen.row;
      } else {
        ctx.customer = upsertCustomer(deps.db, user, now);
        recentlySeen.set(user.id, { row: ctx.customer, fingerprint, at: now });
        if (recentlySeen.size > 10_000) recentlySeen.delete(recentlySeen.keys().next().value!);
      }
    }
    await next();
  };
  // A conversation has its own ctx.api, without the bot's transformers: the same ones go beneath its replay
  // log, so that only calls made for the first time are paced (see beneathReplay).
  const insideConversation: Middleware<BaseContext>[] = [beneathReplay<BaseContext>(replies), identify, i18n];

  // One update at a time per chat (the runner is concurrent): before everything that reads or writes state.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(identify);
  bot.use(i18n);
  bot.use(
    conversations<BaseContext, BaseContext>({
      storage: { type: "key", version: CHECKOUT_CONVERSATION_VERSION, adapter: sqliteConversationStorage(deps.db, deps.now) },
    }),
  );
  for (const feature of options.extraFeatures ?? []) bot.use(feature);
  // Before the private-chat filter: a pre-checkout query has no chat.
  if (deps.paymentMethods.includes("stars")) bot.use(starsFeature(deps));
  bot.use(membershipFeature(deps));
  // Customers only talk to the shop in private chats; the ops group is the admin features' business.
  const customer = bot.chatType("private");
  customer.use(checkoutFeature(deps, insideConversation));
  customer.use(emailFeature(deps));
  customer.use(shopFeature(deps));
  customer.use(ordersFeature(deps));
  customer.use(supportFeature(deps));
  bot.use(fallbackFeature());

  bot.catch(async (error) => {
    const ctx = error.ctx;
    if (isPermanentTelegramRefusal(error.error) && ctx.chat?.type === "private") {
      // The customer blocked the bot (or left) while we answered: nothing is wrong with the shop, and nothing can
      // be said to them. Their orders' codes go by the usual roads (email, or when they come back).
      (ctx.logger ?? deps.logger).info({ update_id: ctx.update.update_id, customer_id: ctx.from?.id }, "the customer blocked the bot; the answer was not sent");
      if (ctx.from) markCustomerBlocked(deps.db, ctx.from.id, deps.now());
      return;
    }
    (ctx.logger ?? deps.logger).error({ err: error.error, update_id: ctx.update.update_id }, "update failed");
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t?.("error-generic") ?? "Error" });
      else if (ctx.chat?.type === "private") await ctx.reply(ctx.t?.("error-generic") ?? "Something went wrong.");
    } catch {
      // the error boundary never throws
    }
  });
  return bot;
}

/**
 * Registers the command menu in every language we speak (English is the default for everyone else); /email only
 * when the shop sends email.
 */
export async function registerCommands(bot: Bot<ShopContext>, t: (locale: string, key: string) => string, options: { email?: boolean } = {}): Promise<void> {
  const menu = CUSTOMER_COMMANDS.filter((command) => command !== "email" || options.email);
  for (const locale of SHIPPED_LOCALES) {
    const commands = menu.map((command) => ({ command, description: t(locale, `command-${command}`) }));
    // Telegram takes a two-letter code here: pt-BR's menu is the one for every Portuguese speaker.
    await bot.api.setMyCommands(commands, locale === DEFAULT_LOCALE ? {} : { language_code: telegramLanguageCode(locale) as LanguageCode });
  }
}
