// The checkout conversation (@grammyjs/conversations v2). A code product asks the quantity when the catalog
// allows more than one; a top-up asks the recipient (checked with the product's rule, asked again when
// wrong) and shows a confirmation. Then one order and its Pay button. Cancel works at every step, and the
// state lives in SQLite, so a restart in the middle resumes where the customer was.
import { createConversation, type Conversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard, type Middleware } from "grammy";
import { getProduct, isForSale } from "../../catalog/catalog.js";
import { textOf } from "../../catalog/texts.js";
import { isValidRecipient } from "../../payments/checkout.js";
import { escapeHtml } from "../../lib/html.js";
import { formatMoney, multiply } from "../../lib/money.js";
import type { BaseContext, ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { checkout } from "./shop.js";

/** Bump when the conversation's code changes, so stored replays of the old code are dropped. */
export const CHECKOUT_CONVERSATION_VERSION = 3;

const CANCEL = "cc";
const CONFIRM = "ok";

/** The recipient as we send it: "+52 55 1234-5678" → "+525512345678", "12345678 (2345)" → "12345678(2345)". */
export function normalizeRecipient(type: string, text: string): string {
  // NFKC: full-width digits, brackets and @ (Asian keyboards) become ASCII.
  const trimmed = text.normalize("NFKC").trim();
  if (type === "phone") return trimmed.replace(/[\s().-]/g, "").replace(/^00/, "+");
  if (type === "email") return trimmed.toLowerCase();
  // A player id with its zone: no spaces around the brackets.
  return trimmed.replace(/\s*\(\s*/g, "(").replace(/\s*\)/g, ")");
}

type Step = { kind: "cancel"; ctx: BaseContext } | { kind: "leave" } | { kind: "tap"; data: string; ctx: BaseContext } | { kind: "text"; text: string; ctx: BaseContext };

export function checkoutFeature(deps: BotDeps, plugins: Middleware<BaseContext>[]): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();

  /** The next thing the customer does, sorted: cancel, a tap on our buttons, text, or something else. */
  async function next(conversation: Conversation<ShopContext, BaseContext>, ours: (data: string) => boolean): Promise<Step> {
    const ctx = await conversation.wait();
    const data = ctx.callbackQuery?.data;
    const text = ctx.message?.text;
    if (data === CANCEL || text === "/cancel") return { kind: "cancel", ctx };
    if (data !== undefined && ours(data)) return { kind: "tap", data, ctx };
    if (text !== undefined && !text.startsWith("/")) return { kind: "text", text, ctx };
    return { kind: "leave" };
  }

  async function cancelled(ctx: BaseContext): Promise<void> {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(ctx.t("checkout-cancelled"), { reply_markup: new InlineKeyboard().text(ctx.t("button-catalog"), "c") });
  }

  async function checkoutConversation(conversation: Conversation<ShopContext, BaseContext>, ctx: BaseContext, args: { sku: string }): Promise<void> {
    const product = await conversation.external(() => getProduct(deps.db, args.sku));
    if (!product || !isForSale(product)) {
      await ctx.reply(ctx.t("product-unavailable"));
      return;
    }
    const locale = ctx.customer?.language ?? "en";
    const name = escapeHtml(textOf(product, "name", locale));
    const hint = escapeHtml(textOf(product, "hint", locale));
    const cancelKeyboard = new InlineKeyboard().text(ctx.t("button-cancel"), CANCEL);

    let quantity = 1;
    let recipient: string | null = null;

    if (product.kind === "code" && product.maxQuantity > 1) {
      const keyboard = new InlineKeyboard();
      for (let n = 1; n <= product.maxQuantity; n++) {
        keyboard.text(`${n} × ${formatMoney(multiply({ amount: product.priceAmount, currency: product.priceCurrency }, n), locale)}`, `q:${n}`);
        if (n % 2 === 0) keyboard.row();
      }
      keyboard.row().text(ctx.t("button-cancel"), CANCEL);
      const text = ctx.t("ask-quantity", { name, max: product.maxQuantity });
      // The card the customer tapped Buy on becomes the question: one message, edited in place.
      if (ctx.callbackQuery?.message) await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard });
      else await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
      const step = await next(conversation, (data) => /^q:\d{1,2}$/.test(data));
      if (step.kind === "cancel") return cancelled(step.ctx);
      if (step.kind !== "tap") {
        await conversation.halt({ next: true });
        return;
      }
      quantity = Math.min(product.maxQuantity, Math.max(1, Number(step.data.slice(2))));
      // Open the order from the tap's own update (outside the replay engine: one order, however often it replays).
      await conversation.external((outside) => checkout(deps, outside, product.sku, quantity, null));
      return;
    }

    if (product.kind === "topup" && product.recipientRule) {
      const rule = product.recipientRule;
      await ctx.reply(ctx.t(`ask-recipient-${rule.type}`, { name, hint }), {
        parse_mode: "HTML",
        reply_markup: cancelKeyboard,
      });
      while (recipient === null) {
        const step = await next(conversation, () => false);
        if (step.kind === "cancel") return cancelled(step.ctx);
        if (step.kind !== "text") {
          // A tap elsewhere or another command: leave the checkout and let the rest of the bot answer.
          await conversation.halt({ next: true });
          return;
        }
        const candidate = normalizeRecipient(rule.type, step.text);
        if (isValidRecipient(deps.db, product, candidate)) recipient = candidate;
        else {
          await step.ctx.reply(ctx.t(`bad-recipient-${rule.type}`, { value: escapeHtml(step.text.slice(0, 64)), hint }), {
            parse_mode: "HTML",
            reply_markup: cancelKeyboard,
          });
        }
      }
      const total = formatMoney(multiply({ amount: product.priceAmount, currency: product.priceCurrency }, 1), locale);
      await ctx.reply(
        ctx.t("confirm-topup", { name, recipient: escapeHtml(recipient), what: ctx.t(`recipient-${rule.type}`), total: escapeHtml(total) }),
        { parse_mode: "HTML", reply_markup: new InlineKeyboard().text(ctx.t("button-confirm"), CONFIRM).text(ctx.t("button-cancel"), CANCEL) },
      );
      const step = await next(conversation, (data) => data === CONFIRM);
      if (step.kind === "cancel") return cancelled(step.ctx);
      if (step.kind !== "tap") {
        await conversation.halt({ next: true });
        return;
      }
    }
    await conversation.external((outside) => checkout(deps, outside, product.sku, quantity, recipient));
  }

  feature.use(createConversation(checkoutConversation, { id: "checkout", plugins }));
  return feature;
}
