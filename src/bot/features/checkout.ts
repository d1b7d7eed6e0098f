// The checkout conversation (@grammyjs/conversations v2). With "Have a promo code?" it asks for the code first (and
// again until one applies). A code product asks the quantity when the catalog allows more than one; a top-up asks the recipient (checked with the product's rule, asked again when
// wrong) and shows a confirmation. Then one order and its Pay button. Cancel works at every step, and the
// state lives in SQLite, so a restart in the middle resumes where the customer was.
import { createConversation, type Conversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard, type Middleware } from "grammy";
import { getProduct, isForSale, type ProductRow } from "../../catalog/catalog.js";
import { checkPromo, describeDiscount, type PromoRefusal } from "../../promo/codes.js";
import { textOf } from "../../catalog/texts.js";
import { isValidRecipient } from "../../payments/checkout.js";
import { escapeHtml } from "../../lib/html.js";
import { formatMoney, multiply } from "../../lib/money.js";
import type { BaseContext, ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { checkout } from "./shop.js";

/** Bump when the conversation's code changes, so stored replays of the old code are dropped. */
export const CHECKOUT_CONVERSATION_VERSION = 4;

const CANCEL = "cc";

/** What the customer reads when a code does not apply (the same keys as openCheckout's refusals). */
const PROMO_REFUSALS: Record<PromoRefusal, string> = {
  unknown: "promo-unknown",
  expired: "promo-expired",
  used_up: "promo-used-up",
  not_for_product: "promo-not-for-product",
};
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

  /**
   * "Have a promo code?": asks for the code until one applies to this product (or the customer cancels). Checked in
   * `external` (the database and the clock); returns the normalized code, or a Step that ends the checkout.
   */
  async function askPromo(conversation: Conversation<ShopContext, BaseContext>, ctx: BaseContext, product: ProductRow, name: string): Promise<string | Step> {
    const cancelKeyboard = new InlineKeyboard().text(ctx.t("button-cancel"), CANCEL);
    await ctx.reply(ctx.t("promo-ask", { name }), { parse_mode: "HTML", reply_markup: cancelKeyboard });
    for (;;) {
      const step = await next(conversation, () => false);
      if (step.kind !== "text") return step;
      const verdict = await conversation.external(() => {
        const checked = checkPromo(deps.db, step.text, product, { amount: product.priceAmount, currency: product.priceCurrency }, deps.now(), step.ctx.from?.id);
        return checked.ok ? { ok: true as const, code: checked.promo.code, discount: describeDiscount(checked.promo, ctx.customer?.language ?? "en") } : { ok: false as const, reason: checked.reason };
      });
      if (verdict.ok) {
        await step.ctx.reply(ctx.t("promo-accepted", { code: escapeHtml(verdict.code), discount: escapeHtml(verdict.discount) }), { parse_mode: "HTML" });
        return verdict.code;
      }
      await step.ctx.reply(`${ctx.t(PROMO_REFUSALS[verdict.reason])}\n${ctx.t("promo-try-again")}`, { reply_markup: cancelKeyboard });
    }
  }

  async function checkoutConversation(conversation: Conversation<ShopContext, BaseContext>, ctx: BaseContext, args: { sku: string; promo?: boolean }): Promise<void> {
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
    let promoCode: string | null = null;

    if (args.promo) {
      const answer = await askPromo(conversation, ctx, product, name);
      if (typeof answer !== "string") {
        if (answer.kind === "cancel") return cancelled(answer.ctx);
        await conversation.halt({ next: true });
        return;
      }
      promoCode = answer;
    }

    if (product.kind === "code" && product.maxQuantity > 1) {
      const keyboard = new InlineKeyboard();
      for (let n = 1; n <= product.maxQuantity; n++) {
        keyboard.text(`${n} × ${formatMoney(multiply({ amount: product.priceAmount, currency: product.priceCurrency }, n), locale)}`, `q:${n}`);
        if (n % 2 === 0) keyboard.row();
      }
      keyboard.row().text(ctx.t("button-cancel"), CANCEL);
      const text = ctx.t("ask-quantity", { name, max: product.maxQuantity });
      // The card the customer tapped Buy on becomes the question: one message, edited in place.
      if (ctx.callbackQuery?.message && !args.promo) await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard });
      else await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
      const step = await next(conversation, (data) => /^q:\d{1,2}$/.test(data));
      if (step.kind === "cancel") return cancelled(step.ctx);
      if (step.kind !== "tap") {
        await conversation.halt({ next: true });
        return;
      }
      quantity = Math.min(product.maxQuantity, Math.max(1, Number(step.data.slice(2))));
      // Open the order from the tap's own update (outside the replay engine: one order, however often it replays).
      await conversation.external((outside) => checkout(deps, outside, product.sku, quantity, null, promoCode));
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
      const list = multiply({ amount: product.priceAmount, currency: product.priceCurrency }, 1);
      // With a promo, the total it leaves (checked again when the order is opened).
      const discountedAmount = promoCode
        ? await conversation.external(() => {
            const checked = checkPromo(deps.db, promoCode!, product, list, deps.now(), ctx.from?.id);
            return checked.ok ? checked.amount : list.amount;
          })
        : list.amount;
      const total = formatMoney({ amount: discountedAmount, currency: list.currency }, locale);
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
    await conversation.external((outside) => checkout(deps, outside, product.sku, quantity, recipient, promoCode));
  }

  feature.use(createConversation(checkoutConversation, { id: "checkout", plugins }));
  return feature;
}
