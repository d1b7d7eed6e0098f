// Paying in Telegram Stars: the "Pay in Stars" button (an invoice in XTR), the pre-checkout check, and the
// successful payment, which joins the pipeline the Stripe payments use.
import { Composer } from "grammy";
import { textOf } from "../../catalog/texts.js";
import { getOrder } from "../../orders/repository.js";
import { checkPreCheckout, sendStarsInvoice, switchToStars } from "../../payments/stars.js";
import { storeStarsPayment } from "../../payments/stars-inbox.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { answer } from "../ui.js";

const REFUSALS = {
  unknown: "stars-refused-unknown",
  not_payable: "stars-refused-not-payable",
  expired: "stars-refused-expired",
  price_changed: "stars-refused-price",
} as const;

export async function offerStarsInvoice(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<void> {
  const order = getOrder(deps.db, orderId);
  if (!order || order.customerId !== ctx.from?.id) return answer(ctx, { text: ctx.t("order-not-found", { order: orderId }) });
  const stars = await switchToStars(deps, order);
  if (!stars) {
    // A Pay button of an order paid or closed since: no new invoice. Still payable but not switchable (Stripe could
    // not expire its Checkout Session): try again.
    await answer(ctx, { text: ctx.t(order.status === "awaiting_payment" ? "error-generic" : "stars-refused-not-payable"), show_alert: true });
    return;
  }
  await answer(ctx);
  await sendStarsInvoice(ctx.api, stars, textOf(stars.product, "name", ctx.customer?.language ?? "en"), ctx.t("stars-invoice-description", { order: stars.id, quantity: stars.quantity }));
}

export function starsFeature(deps: BotDeps): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();

  feature.callbackQuery(/^st:(ORD-[0-9A-Z]{8})$/, (ctx) => offerStarsInvoice(deps, ctx, ctx.match[1]!));

  // Telegram waits at most 10 seconds for this answer: a database read, nothing else.
  feature.on("pre_checkout_query", async (ctx) => {
    const verdict = checkPreCheckout(deps.db, ctx.preCheckoutQuery, deps.now());
    if (verdict.ok) await ctx.answerPreCheckoutQuery(true);
    else await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t(REFUSALS[verdict.reason]) });
  });

  // Stored before anything else (the worker applies it): the runner may already have confirmed this update to
  // Telegram, so a crash after this line loses nothing, and one before it is found in Telegram's ledger.
  feature.on("message:successful_payment", async (ctx) => {
    const payment = ctx.message.successful_payment;
    const stored = storeStarsPayment(deps.db, payment, ctx.from.id, "update", deps.now());
    ctx.logger.info({ order_id: payment.invoice_payload, charge_id: payment.telegram_payment_charge_id, stored }, "Stars payment received");
    if (stored) deps.onStarsPayment();
  });
  return feature;
}
