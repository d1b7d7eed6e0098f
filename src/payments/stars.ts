// Telegram Stars (XTR), the second way to pay: an invoice with an empty provider token, a pre-checkout
// answered after checking the order is still payable; the payment itself is stored and applied by
// stars-inbox.ts, then the pipeline is the Stripe one. Refunds: refundStarPayment.
import type { Api } from "grammy";
import type { PreCheckoutQuery } from "grammy/types";
import type { Db } from "../db/connection.js";
import type { Logger } from "../logger.js";
import { getOrder, listExpiredStarsOrders, updateOrderFields } from "../orders/repository.js";
import { transition, type OrderRow } from "../orders/state-machine.js";
import type { Stripe } from "./stripe-client.js";

export const STARS = "XTR";

interface StarsDeps {
  db: Db;
  logger: Logger;
  now: () => number;
}

/**
 * Turns an unpaid card order into a Stars order. Its Checkout Session is expired first, so that the two
 * can never both be paid; when Stripe says it is already paid, the order stays as it is.
 */
export async function switchToStars(deps: StarsDeps & { stripe: Stripe }, order: OrderRow): Promise<OrderRow | undefined> {
  // Already a Stars order: its invoice again, while it can still be paid (not for an order paid or closed since).
  if (order.paymentMethod === "stars") return order.status === "awaiting_payment" ? order : undefined;
  if (order.status !== "awaiting_payment") return undefined;
  const stars = starsTotal(order);
  if (stars === undefined) return undefined;
  if (order.stripeSessionId) {
    try {
      await deps.stripe.checkout.sessions.expire(order.stripeSessionId);
    } catch (error) {
      deps.logger.warn({ order_id: order.id, err: (error as Error).message }, "could not expire the Checkout Session; not switching to Stars");
      return undefined;
    }
  }
  // The Stripe event for the expiry will find a Stars order and leave it alone (its session is gone).
  // With a promo, the price before it is kept in Stars too (the list price in Stars).
  const list = order.promoCode && order.product.starsPrice ? order.product.starsPrice * order.quantity : null;
  const switched = updateOrderFields(
    deps.db,
    order.id,
    "awaiting_payment",
    { paymentMethod: "stars", amount: stars, currency: STARS, originalAmount: list, stripeSessionId: null, stripeSessionUrl: null },
    deps.now(),
  );
  return switched ? getOrder(deps.db, order.id) : undefined;
}

/** The order's total in Stars, from the price it was sold at (the snapshot, promo applied), or undefined without one. */
export function starsTotal(order: Pick<OrderRow, "product" | "quantity">): number | undefined {
  if (order.product.starsTotal) return order.product.starsTotal;
  const unit = order.product.starsPrice;
  return unit ? unit * order.quantity : undefined;
}

export async function sendStarsInvoice(api: Api, order: OrderRow, title: string, description: string): Promise<void> {
  await api.sendInvoice(order.chatId, title.slice(0, 32), description.slice(0, 255), order.id, STARS, [{ label: title.slice(0, 32), amount: order.amount }], {
    provider_token: "",
  });
}

/** Whether a pre-checkout may go ahead: the order exists, is unpaid, unexpired, and the price is the order's. */
export function checkPreCheckout(db: Db, query: PreCheckoutQuery, now: number): { ok: true } | { ok: false; reason: "unknown" | "not_payable" | "expired" | "price_changed" } {
  const order = getOrder(db, query.invoice_payload);
  if (!order || order.customerId !== query.from.id || order.paymentMethod !== "stars") return { ok: false, reason: "unknown" };
  if (order.status !== "awaiting_payment") return { ok: false, reason: "not_payable" };
  if (order.expiresAt <= now) return { ok: false, reason: "expired" };
  if (query.currency !== STARS || query.total_amount !== order.amount) return { ok: false, reason: "price_changed" };
  return { ok: true };
}

/** Refunds a Stars payment. Telegram has no idempotency key: an "already refunded" answer counts as done. */
export async function refundStars(api: Api, order: Pick<OrderRow, "customerId" | "telegramChargeId">): Promise<{ refundId: string }> {
  if (!order.telegramChargeId) throw new Error("no Telegram charge id recorded for this order");
  try {
    await api.refundStarPayment(order.customerId, order.telegramChargeId);
  } catch (error) {
    if (!/CHARGE_ALREADY_REFUNDED/i.test((error as Error).message)) throw error;
  }
  return { refundId: `stars:${order.telegramChargeId}` };
}

/**
 * Whether Telegram's ledger shows this charge refunded (a refund is a transaction with the charge's id going out
 * to the user). A refund whose answer never came (a timeout) may have been made all the same: this is how to
 * know before the order is fulfilled after all. The ledger is chronological: the search gallops to the first
 * transaction at or after `paidAt`, then reads from there to the end.
 */
export async function wasStarsChargeRefunded(api: Api, chargeId: string, paidAt: number): Promise<boolean> {
  const since = Math.floor(paidAt / 1000) - 60;
  let start = 0;
  for (let offset = 0, step = 100; ; offset += step, step *= 2) {
    const { transactions } = await api.getStarTransactions({ offset, limit: 1 });
    if (transactions.length === 0 || transactions[0]!.date >= since) break;
    start = offset;
  }
  for (let offset = start; ; offset += 100) {
    const { transactions } = await api.getStarTransactions({ offset, limit: 100 });
    if (transactions.some((transaction) => transaction.id === chargeId && transaction.receiver !== undefined)) return true;
    if (transactions.length < 100) return false;
  }
}

/** Stars orders get no expiry event from anyone: past their time, unpaid ones are expired here. */
export function expireStarsOrders(deps: StarsDeps): number {
  const stale = listExpiredStarsOrders(deps.db, deps.now());
  for (const { id } of stale) {
    try {
      transition(deps, { orderId: id, from: "awaiting_payment", to: "expired", cause: "stars_invoice_expired", actor: "system" });
    } catch {
      // paid in the meantime: nothing to expire
    }
  }
  return stale.length;
}
