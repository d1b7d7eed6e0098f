// /help, /support (with the last order id to quote), /cancel, and the answer to anything unknown.
import { Composer, InlineKeyboard } from "grammy";
import { setCustomerLanguage } from "../../customers/repository.js";
import { lastOrderOf } from "../../orders/repository.js";
import { escapeHtml } from "../../lib/html.js";
import { isShippedLocale, SHIPPED_LOCALES } from "../../lib/locales.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";

export const CUSTOMER_COMMANDS = ["start", "orders", "help", "support", "cancel", "language", "email"] as const;

export function supportFeature(deps: BotDeps): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();
  // /email is offered only when the shop sends email (as in the command menu).
  feature.command("help", (ctx) => ctx.reply(deps.email.mode === "off" ? ctx.t("help") : `${ctx.t("help")}\n${ctx.t("help-email")}`));
  feature.command("support", async (ctx) => {
    const last = lastOrderOf(deps.db, ctx.from!.id);
    const lastLine = last ? ctx.t("support-last-order", { order: last.id }) : "";
    await ctx.reply(ctx.t("support", { support: escapeHtml(deps.supportContact), last: lastLine }), { parse_mode: "HTML" });
  });
  feature.command("language", async (ctx) => {
    // Each language by its own name (language-name in its own file), two to a row.
    const keyboard = new InlineKeyboard();
    SHIPPED_LOCALES.forEach((locale, index) => {
      keyboard.text(deps.t(locale, "language-name"), `lang:${locale}`);
      if (index % 2 === 1) keyboard.row();
    });
    await ctx.reply(ctx.t("language-choose"), { reply_markup: keyboard });
  });
  feature.callbackQuery(/^lang:([A-Za-z-]{2,8})$/, async (ctx) => {
    const language = ctx.match[1]!;
    if (!isShippedLocale(language)) {
      await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      return;
    }
    setCustomerLanguage(deps.db, ctx.from.id, language, deps.now());
    if (ctx.customer) ctx.customer.language = language;
    ctx.i18n.useLocale(language);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t("language-set"), { reply_markup: new InlineKeyboard().text(ctx.t("button-catalog"), "c") });
  });
  feature.command("cancel", async (ctx) => {
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t("cancelled-nothing-pending"));
  });
  return feature;
}

/** Last in the chain: every callback query gets an answer, every unknown command a hint. */
export function fallbackFeature(): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();
  feature.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
  });
  feature.on("message:text", async (ctx) => {
    if (ctx.chat.type !== "private") return;
    await ctx.reply(ctx.msg.text.startsWith("/") ? ctx.t("unknown-command") : ctx.t("help"));
  });
  return feature;
}
