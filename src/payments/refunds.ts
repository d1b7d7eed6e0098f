// Refunds: `failed` → `refunding` → the refund at the provider the order was paid with (Stripe's
// `refunds.create` with the idempotency key refund-<order id>, or Telegram's refundStarPayment) → `refunded`
// with the refund id. A refund the provider refuses goes to review; a passing error is retried.
import Stripe from "stripe";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { scheduleRetry, type PipelineDeps } from "../fulfilment/pipeline.js";
import { notifyCustomer } from "../fulfilment/notify.js";
import { returnUnusedStock } from "./stock-return.js";
import { formatMoney } from "../lib/money.js";
import { refundStars } from "./stars.js";

export function refundIdempotencyKey(orderId: string): string {
  return `refund-${orderId}`;
}

/**
 * What one refund attempt at a provider came to. A failure is `passing` when trying again may work; it goes
 * to review when it is not, or when the attempts run out.
 */
type RefundAttempt =
  | { outcome: "refunded"; cause: string; detail: Record<string, unknown>; refund?: { id: string; amount: number } }
  | { outcome: "failed"; passing: boolean; message: string; alert: string; cause: string; detail: Record<string, unknown> };

export async function runRefundStep(deps: PipelineDeps, order: OrderRow): Promise<void> {
  if (order.status === "failed") {
    transition(deps, { orderId: order.id, from: "failed", to: "refunding", cause: "refund_started", actor: "worker" });
    return;
  }
  if (order.status !== "refunding") return;
  const attempt = order.paymentMethod === "stars" ? await refundWithTelegram(deps, order) : await refundWithStripe(deps, order);
  if (attempt.outcome === "failed") {
    if (attempt.passing && order.attempts + 1 < deps.settings.maxAttempts * 3) return scheduleRetry(deps, order, "refund", attempt.message);
    transition(deps, { orderId: order.id, from: "refunding", to: "needs_review", cause: attempt.cause, actor: "worker", detail: attempt.detail, patch: { lastError: attempt.message } });
    deps.alerts.raise({ kind: "refund_failed", orderId: order.id, text: `${order.id}: ${attempt.alert}` });
    return;
  }
  const { refund } = attempt;
  transition(deps, {
    orderId: order.id,
    from: "refunding",
    to: "refunded",
    cause: attempt.cause,
    actor: "worker",
    detail: attempt.detail,
    ...(refund ? { patch: { refundId: refund.id, refundedAmount: refund.amount } } : {}),
  });
  returnUnusedStock(deps, order);
  // A refund found already made (by an earlier attempt or by hand) was announced then.
  if (!refund) return;
  deps.alerts.raise({ kind: "refunded", orderId: order.id, text: `${order.id}: refunded ${formatMoney({ amount: refund.amount, currency: order.currency })} (${order.lastError ?? "supplier failure"})` });
  notifyCustomer(deps, order, "refunded-customer", {});
}

async function refundWithStripe(deps: PipelineDeps, order: OrderRow): Promise<RefundAttempt> {
  if (!order.stripePaymentIntentId) {
    const message = "no payment intent recorded";
    return { outcome: "failed", passing: false, message, alert: "no Stripe payment is recorded for this order", cause: "refund_impossible", detail: { reason: message } };
  }
  try {
    const refund = await deps.stripe.refunds.create(
      { payment_intent: order.stripePaymentIntentId, metadata: { order_id: order.id } },
      { idempotencyKey: refundIdempotencyKey(order.id) },
    );
    return { outcome: "refunded", refund: { id: refund.id, amount: refund.amount }, cause: "refund_created", detail: { refund_id: refund.id, status: refund.status } };
  } catch (error) {
    const message = (error as Error).message;
    const passing = error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError;
    if (!passing && (error as { code?: string }).code === "charge_already_refunded") {
      return { outcome: "refunded", cause: "already_refunded", detail: { stripe: message } };
    }
    return { outcome: "failed", passing, message, alert: `Stripe refused the refund (${message})`, cause: "refund_refused", detail: { stripe: message } };
  }
}

async function refundWithTelegram(deps: PipelineDeps, order: OrderRow): Promise<RefundAttempt> {
  try {
    const { refundId } = await refundStars(deps.api, order);
    return { outcome: "refunded", refund: { id: refundId, amount: order.amount }, cause: "stars_refunded", detail: { refund_id: refundId } };
  } catch (error) {
    const message = (error as Error).message;
    // A 400 is Telegram saying no for good; anything else may pass.
    return { outcome: "failed", passing: !/400/.test(message), message, alert: `Telegram refused the Stars refund (${message})`, cause: "refund_refused", detail: { telegram: message } };
  }
}
