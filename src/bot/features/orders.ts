// The customer's orders: /orders (newest first, paginated) and one order's view, with its codes again
// for a delivered order, read from the encrypted store (never from the supplier); codes too long to show beside
// the order come to the chat again, as they were delivered (several messages or a file); and the return from the
// payment page, which says where the order stands without repeating the delivery.
import { Composer } from "grammy";
import { getOrder } from "../../orders/repository.js";
import type { OrderRow } from "../../orders/state-machine.js";
import { planDelivery } from "../../fulfilment/delivery-message.js";
import { sendDelivery } from "../../fulfilment/delivery.js";
import { MESSAGE_LIMIT, visibleLength } from "../../lib/telegram-text.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { orderView, ordersView, paidReturnView } from "../views.js";
import { show } from "../ui.js";

const SHOWS_CODES = new Set(["fulfilled", "delivered", "delivery_failed"]);

/** /start paid_<id>: the order's status in one line, with a button to see the code (or the order) again. */
export async function showPaidReturn(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<void> {
  const order = await ownOrder(deps, ctx, orderId);
  if (!order) return;
  await show(ctx, paidReturnView(ctx.t.bind(ctx), order, SHOWS_CODES.has(order.status)));
}

/** The customer's own order, or undefined after telling them there is none. */
async function ownOrder(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<OrderRow | undefined> {
  const order = getOrder(deps.db, orderId);
  if (order && order.customerId === ctx.from?.id) return order;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("order-not-found", { order: orderId }) });
  else await ctx.reply(ctx.t("order-not-found", { order: orderId }));
  return undefined;
}

export async function showOrder(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<void> {
  const order = await ownOrder(deps, ctx, orderId);
  if (!order) return;
  const locale = ctx.customer?.language ?? "en";
  const t = ctx.t.bind(ctx);
  const methods = deps.paymentMethods;
  let view = orderView(t, locale, order, null, methods);
  if (SHOWS_CODES.has(order.status)) {
    const plan = planDelivery(deps, order, locale, { header: false });
    const inline = plan.kind === "messages" && plan.texts.length === 1 ? orderView(t, locale, order, { text: plan.texts[0]! }, methods) : undefined;
    view = inline && visibleLength(inline.text) <= MESSAGE_LIMIT ? inline : orderView(t, locale, order, "separately", methods);
  }
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  await show(ctx, view);
}

/** Sends an order's codes to its customer again, as they were delivered. */
async function sendCodesAgain(deps: BotDeps, ctx: ShopContext, orderId: string): Promise<void> {
  const order = await ownOrder(deps, ctx, orderId);
  if (!order) return;
  if (!SHOWS_CODES.has(order.status)) {
    await ctx.answerCallbackQuery({ text: ctx.t(`status-${order.status}`) }).catch(() => undefined);
    return;
  }
  await ctx.answerCallbackQuery().catch(() => undefined);
  const plan = planDelivery(deps, order, ctx.customer?.language ?? "en", { header: false });
  await sendDelivery(ctx.api, order.chatId, plan);
  deps.logger.info({ order_id: order.id, as: plan.kind }, "codes sent again at the customer's request");
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
  feature.callbackQuery(/^oc:(ORD-[0-9A-Z]{8})$/, (ctx) => sendCodesAgain(deps, ctx, ctx.match[1]!));
  return feature;
}
