// The customer's orders: /orders (newest first, paginated) and one order's view, with its codes again
// for a delivered order, read from the encrypted store (never from the supplier); and the return from the
// payment page, which says where the order stands without repeating the delivery.
import { Composer } from "grammy";
import { getOrder } from "../../orders/repository.js";
import { deliveryMessage } from "../../fulfilment/delivery.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { orderView, ordersView, paidReturnView } from "../views.js";
import { show } from "../ui.js";

const SHOWS_CODES = new Set(["fulfilled", "delivered", "delivery_failed"]);

/** /start paid_<id>: the order's status in one line, with a button to see the code (or the order) again. */
export async function showPaidReturn(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<void> {
  const order = getOrder(deps.db, orderId);
  if (!order || order.customerId !== ctx.from?.id) {
    await ctx.reply(ctx.t("order-not-found", { order: orderId }));
    return;
  }
  await show(ctx, paidReturnView(ctx.t.bind(ctx), order, SHOWS_CODES.has(order.status)));
}

export async function showOrder(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<void> {
  const order = getOrder(deps.db, orderId);
  const locale = ctx.customer?.language ?? "en";
  if (!order || order.customerId !== ctx.from?.id) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("order-not-found", { order: orderId }) });
    else await ctx.reply(ctx.t("order-not-found", { order: orderId }));
    return;
  }
  const codes = SHOWS_CODES.has(order.status) ? deliveryMessage({ ...deps, supportContact: deps.supportContact }, order, locale) : null;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  await show(ctx, orderView(ctx.t.bind(ctx), locale, order, codes, deps.paymentMethods));
}

export function ordersFeature(deps: BotDeps): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();
  feature.command("orders", async (ctx) => {
    await show(ctx, ordersView(deps.db, ctx.t.bind(ctx), ctx.customer?.language ?? "en", ctx.from!.id, 0));
  });
  feature.callbackQuery(/^os:(\d{1,4})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, ordersView(deps.db, ctx.t.bind(ctx), ctx.customer?.language ?? "en", ctx.from.id, Number(ctx.match[1])));
  });
  feature.callbackQuery(/^o:(ORD-[0-9A-Z]{8})$/, (ctx) => showOrder(deps, ctx, ctx.match[1]!));
  return feature;
}
