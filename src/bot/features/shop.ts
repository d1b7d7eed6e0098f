// The shop window: /start (with its deep links), categories → products → the product card, Buy (or "Have a promo
// code?"), cancel. While sales are paused the card says "back soon" instead of Buy.
import { Composer, InlineKeyboard } from "grammy";
import { getProduct, isForSale } from "../../catalog/catalog.js";
import { pauseOf, shopPause } from "../../catalog/pause.js";
import { textOf } from "../../catalog/texts.js";
import { getOrder } from "../../orders/repository.js";
import { isCustomerBanned } from "../../risk/bans.js";
import { cancelUnpaidOrder } from "../../payments/cancel.js";
import { openCheckout } from "../../payments/checkout.js";
import { sendStarsInvoice } from "../../payments/stars.js";
import { escapeHtml } from "../../lib/html.js";
import { ORDER_ID_PATTERN } from "../../lib/ids.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { createScreenCache } from "../screen-cache.js";
import { checkoutView } from "../views.js";
import { showOrder, showPaidReturn } from "./orders.js";
import { answer, show } from "../ui.js";

export function shopFeature(deps: BotDeps): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();
  const locale = (ctx: ShopContext) => ctx.customer?.language ?? "en";
  const t = (ctx: ShopContext) => ctx.t.bind(ctx) as (key: string, variables?: Record<string, string | number>) => string;
  // Browsing screens are rendered once per locale until the catalog changes (screen-cache.ts).
  const screens = createScreenCache(deps.db);
  const home = (ctx: ShopContext) => screens.categories(t(ctx), locale(ctx));

  async function showProduct(ctx: ShopContext, sku: string): Promise<void> {
    const view = screens.product(t(ctx), locale(ctx), sku);
    if (!view) {
      await answer(ctx, { text: ctx.t("product-unavailable") });
      // Said in the message too: a deep link (/start buy_<sku>) has no tap to answer.
      return show(ctx, screens.categories(t(ctx), locale(ctx), "product-unavailable"));
    }
    await show(ctx, view);
  }

  feature.command("start", async (ctx) => {
    const payload = ctx.match.trim();
    if (payload.startsWith("buy_")) return showProduct(ctx, payload.slice(4));
    const orderLink = /^(paid|order)_(.+)$/.exec(payload);
    if (orderLink && ORDER_ID_PATTERN.test(orderLink[2]!)) {
      return orderLink[1] === "paid" ? showPaidReturn(deps, ctx, orderLink[2]!) : showOrder(deps, ctx, orderLink[2]!);
    }
    // The cached view is shared: a copy with the welcome as its text (and "back soon" while the shop is paused).
    const welcome = ctx.t("welcome", { shop: escapeHtml(deps.shopName) });
    await show(ctx, { ...home(ctx), text: shopPause(deps.db) ? `${welcome}\n\n${ctx.t("sales-paused")}` : welcome });
  });

  feature.callbackQuery("c", async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, home(ctx));
  });

  feature.callbackQuery(/^c:([a-z0-9-]{1,24}):(\d{1,3})$/, async (ctx) => {
    const view = screens.category(t(ctx), locale(ctx), ctx.match[1]!, Number(ctx.match[2]));
    if (!view) {
      await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      return show(ctx, home(ctx));
    }
    await ctx.answerCallbackQuery();
    await show(ctx, view);
  });

  feature.callbackQuery(/^g:([a-z0-9-]{1,24}):([a-z0-9-]{1,24}):(\d{1,3})$/, async (ctx) => {
    const view = screens.brand(t(ctx), locale(ctx), ctx.match[1]!, ctx.match[2]!, Number(ctx.match[3]));
    if (!view) {
      await ctx.answerCallbackQuery({ text: ctx.t("product-unavailable") });
      return show(ctx, screens.category(t(ctx), locale(ctx), ctx.match[1]!, 0) ?? home(ctx));
    }
    await ctx.answerCallbackQuery();
    await show(ctx, view);
  });

  feature.callbackQuery(/^p:([A-Za-z0-9._-]{2,48})$/, async (ctx) => {
    await showProduct(ctx, ctx.match[1]!);
    await answer(ctx);
  });

  /** Buy (or "Have a promo code?") on a product card: the product, its price and the pause checked afresh. */
  async function startCheckout(ctx: ShopContext & { from: { id: number } }, sku: string, priceText: string, promo: boolean): Promise<void> {
    const product = getProduct(deps.db, sku);
    if (!product || !isForSale(product)) {
      await ctx.answerCallbackQuery({ text: ctx.t("product-unavailable"), show_alert: true });
      return show(ctx, home(ctx));
    }
    // Paused since the card was shown: "back soon", and the card as it is now.
    if (pauseOf(deps.db, product.sku)) {
      await ctx.answerCallbackQuery({ text: ctx.t("sales-paused"), show_alert: true });
      return show(ctx, screens.product(t(ctx), locale(ctx), product.sku) ?? home(ctx));
    }
    if (product.priceAmount !== Number(priceText)) {
      await ctx.answerCallbackQuery({ text: ctx.t("price-changed"), show_alert: true });
      return show(ctx, screens.product(t(ctx), locale(ctx), product.sku) ?? home(ctx));
    }
    // A banned customer is refused at once (politely, no details), not after the checkout's questions.
    if (isCustomerBanned(deps.db, ctx.from.id)) return refuseBanned(deps, ctx);
    await ctx.answerCallbackQuery();
    // One checkout at a time: a Buy tapped mid-checkout starts over with this product.
    await ctx.conversation.exitAll();
    await ctx.conversation.enter("checkout", { sku: product.sku, promo });
  }

  feature.callbackQuery(/^b:([A-Za-z0-9._-]{2,48}):(\d{1,2}):(\d{1,12})$/, (ctx) => startCheckout(ctx, ctx.match[1]!, ctx.match[3]!, false));
  feature.callbackQuery(/^bp:([A-Za-z0-9._-]{2,48}):(\d{1,12})$/, (ctx) => startCheckout(ctx, ctx.match[1]!, ctx.match[2]!, true));

  feature.callbackQuery(/^x:(ORD-[0-9A-Z]{8})$/, async (ctx) => {
    const order = getOrder(deps.db, ctx.match[1]!);
    if (!order || order.customerId !== ctx.from.id) {
      await ctx.answerCallbackQuery({ text: ctx.t("order-not-found", { order: ctx.match[1]! }) });
      return;
    }
    if (order.status !== "awaiting_payment") {
      await ctx.answerCallbackQuery({ text: ctx.t("order-cannot-cancel", { order: order.id, status: ctx.t(`status-${order.status}`) }), show_alert: true });
      return showOrder(deps, ctx, order.id);
    }
    await cancelUnpaidOrder(deps, order.id, order.stripeSessionId, `customer:${ctx.from.id}`);
    await ctx.answerCallbackQuery({ text: ctx.t("order-cancelled", { order: order.id }) });
    await show(ctx, { text: ctx.t("order-cancelled", { order: order.id }), keyboard: new InlineKeyboard().text(ctx.t("button-catalog"), "c") });
  });

  return feature;
}

/** Opens the checkout for a product and shows its Pay button, or says why not. */
export async function checkout(deps: BotDeps, ctx: ShopContext, sku: string, quantity: number, recipient: string | null, promoCode: string | null = null): Promise<void> {
  const product = getProduct(deps.db, sku);
  const customer = ctx.customer!;
  if (!product) return;
  const result = await openCheckout(
    { ...deps, botUsername: () => ctx.me.username },
    { customerId: customer.id, chatId: ctx.chat!.id, product, quantity, recipient, language: customer.language, promoCode },
  );
  const t = ctx.t.bind(ctx);
  if (!result.ok) {
    const messages: Record<typeof result.reason, string> = {
      product_unavailable: t("product-unavailable"),
      paused: t("sales-paused"),
      promo_unknown: t("promo-unknown"),
      promo_expired: t("promo-expired"),
      promo_used_up: t("promo-used-up"),
      promo_not_for_product: t("promo-not-for-product"),
      bad_quantity: t("checkout-bad-quantity"),
      bad_recipient: t("checkout-bad-recipient", { recipient: t(`recipient-${product.recipientRule?.type ?? "player_id"}`) }),
      too_many_unpaid: t("checkout-too-many-unpaid", { count: deps.limits.maxUnpaidOrders }),
      rate_limited: t("checkout-rate-limited", { support: deps.supportContact }),
      payment_provider_down: t("checkout-provider-down"),
      not_allowed: t("checkout-not-allowed", { support: deps.supportContact }),
    };
    // A message, not only a callback answer: the tap may already have been answered (Buy → conversation).
    await answer(ctx, { text: messages[result.reason], show_alert: true });
    await ctx.reply(messages[result.reason], { reply_markup: new InlineKeyboard().text(t("button-my-orders"), "os:0") });
    return;
  }
  await answer(ctx, result.reused ? { text: t("checkout-reused") } : {});
  await show(ctx, checkoutView(t, customer.language, result.order, deps.paymentMethods));
  // Stars only: the invoice (Telegram's own Pay button) follows the summary.
  if (result.order.paymentMethod === "stars" && !result.reused) {
    await sendStarsInvoice(ctx.api, result.order, textOf(result.order.product, "name", customer.language), t("stars-invoice-description", { order: result.order.id, quantity: result.order.quantity }));
  }
}

/** The polite refusal for a banned customer at Buy (as openCheckout's `not_allowed`): no reason, the support contact. */
async function refuseBanned(deps: BotDeps, ctx: ShopContext): Promise<void> {
  const text = ctx.t("checkout-not-allowed", { support: deps.supportContact });
  await answer(ctx, { text, show_alert: true });
  await ctx.reply(text, { reply_markup: new InlineKeyboard().text(ctx.t("button-my-orders"), "os:0") });
}
