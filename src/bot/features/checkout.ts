// The checkout conversation (@grammyjs/conversations v2): for a top-up, ask the recipient (validated with
// the product's rule, asked again when wrong); then a confirmation with product, recipient, quantity and
// total; Confirm opens the order and shows Pay. Cancel works at every step. Its state lives in SQLite.
import { createConversation, type Conversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import { getProduct } from "../../catalog/catalog.js";
import { isValidRecipient } from "../../payments/checkout.js";
import { escapeHtml } from "../../lib/html.js";
import { formatMoney, multiply } from "../../lib/money.js";
import type { BaseContext, ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import type { Middleware } from "grammy";
import { checkout } from "./shop.js";

/** Bump when the conversation's code changes, so stored replays of the old code are dropped. */
export const CHECKOUT_CONVERSATION_VERSION = 1;

const CANCEL = "cc";
const CONFIRM = "ok";

/** The phone number as we send it: "+52 55 1234-5678" → "+525512345678". */
export function normalizeRecipient(type: string, text: string): string {
  const trimmed = text.trim();
  if (type === "phone") return trimmed.replace(/[\s().-]/g, "").replace(/^00/, "+");
  return trimmed;
}

export function checkoutFeature(deps: BotDeps, plugins: Middleware<BaseContext>[]): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();

  async function topupCheckout(conversation: Conversation<ShopContext, BaseContext>, ctx: BaseContext, args: { sku: string }): Promise<void> {
    const product = await conversation.external(() => getProduct(deps.db, args.sku));
    if (!product || !product.enabled || product.kind !== "topup" || !product.recipientRule) {
      await ctx.reply(ctx.t("product-unavailable"));
      return;
    }
    const locale = ctx.customer?.language ?? "en";
    const rule = product.recipientRule;
    const what = ctx.t(`recipient-${rule.type}`);
    const cancelKeyboard = new InlineKeyboard().text(ctx.t("button-cancel"), CANCEL);
    await ctx.reply(ctx.t(`ask-recipient-${rule.type}`, { name: escapeHtml(product.name), hint: escapeHtml(rule.hint ?? "") }), {
      parse_mode: "HTML",
      reply_markup: cancelKeyboard,
    });

    let recipient: string | undefined;
    while (recipient === undefined) {
      const next = await conversation.wait();
      if (next.callbackQuery?.data === CANCEL || next.message?.text === "/cancel") return cancelled(next);
      const text = next.message?.text;
      if (text === undefined || text.startsWith("/")) {
        // A tap elsewhere or another command: leave the checkout and let the rest of the bot answer.
        await conversation.halt({ next: true });
        return;
      }
      const candidate = normalizeRecipient(rule.type, text);
      if (candidate.length <= 64 && isValidRecipient(product, candidate)) recipient = candidate;
      else {
        await next.reply(ctx.t(`bad-recipient-${rule.type}`, { value: escapeHtml(text.slice(0, 64)), hint: escapeHtml(rule.hint ?? "") }), {
          parse_mode: "HTML",
          reply_markup: cancelKeyboard,
        });
      }
    }

    const total = formatMoney(multiply({ amount: product.priceAmount, currency: product.priceCurrency }, 1), locale);
    await ctx.reply(
      ctx.t("confirm-topup", { name: escapeHtml(product.name), recipient: escapeHtml(recipient), what, total: escapeHtml(total) }),
      { parse_mode: "HTML", reply_markup: new InlineKeyboard().text(ctx.t("button-confirm"), CONFIRM).text(ctx.t("button-cancel"), CANCEL) },
    );
    const answer = await conversation.wait();
    if (answer.callbackQuery?.data === CONFIRM) {
      // The checkout runs outside the replay engine: one order, however often the conversation replays.
      await conversation.external((outside) => checkout(deps, outside, product.sku, 1, recipient!));
      return;
    }
    if (answer.callbackQuery?.data === CANCEL || answer.message?.text === "/cancel") return cancelled(answer);
    await conversation.halt({ next: true });
  }

  async function cancelled(ctx: BaseContext): Promise<void> {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("checkout-cancelled"), { reply_markup: new InlineKeyboard().text(ctx.t("button-catalog"), "c") });
  }

  feature.use(createConversation(topupCheckout, { id: "topupCheckout", plugins }));
  return feature;
}
