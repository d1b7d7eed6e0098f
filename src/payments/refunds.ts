// Refunds through Stripe: `failed` → `refunding` → `refunds.create` (idempotency key refund-<order id>)
// → `refunded` with the refund id. A refund Stripe refuses goes to review; a passing error is retried.
import Stripe from "stripe";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { updateOrderFields } from "../orders/repository.js";
import { backoffDelay, type PipelineDeps } from "../fulfilment/pipeline.js";
import { notifyCustomer } from "../fulfilment/notify.js";
import { formatMoney } from "../lib/money.js";
import { refundStars } from "./stars.js";

export function refundIdempotencyKey(orderId: string): string {
  return `refund-${orderId}`;
}

export async function runRefundStep(deps: PipelineDeps, order: OrderRow): Promise<void> {
  if (order.status === "failed") {
    transition(deps, { orderId: order.id, from: "failed", to: "refunding", cause: "refund_started", actor: "worker" });
    return;
  }
  if (order.status !== "refunding") return;
  if (order.paymentMethod === "stars") return refundStarsOrder(deps, order);
  if (!order.stripePaymentIntentId) {
    transition(deps, { orderId: order.id, from: "refunding", to: "needs_review", cause: "refund_impossible", actor: "worker", detail: { reason: "no payment intent recorded" } });
    deps.alerts.raise({ kind: "refund_failed", orderId: order.id, text: `${order.id}: no Stripe payment is recorded for this order` });
    return;
  }
  let refund: Stripe.Refund;
  try {
    refund = await deps.stripe.refunds.create(
      { payment_intent: order.stripePaymentIntentId, metadata: { order_id: order.id } },
      { idempotencyKey: refundIdempotencyKey(order.id) },
    );
  } catch (error) {
    const passing = error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError;
    const message = (error as Error).message;
    if (passing && order.attempts + 1 < deps.settings.maxAttempts * 3) {
      const attempt = order.attempts + 1;
      deps.metrics.retries.inc({ step: "refund" });
      updateOrderFields(deps.db, order.id, "refunding", { attempts: attempt, lastError: message, nextAttemptAt: deps.now() + backoffDelay(deps.settings, attempt, deps.random) }, deps.now());
      return;
    }
    const code = (error as { code?: string }).code;
    if (code === "charge_already_refunded") {
      transition(deps, { orderId: order.id, from: "refunding", to: "refunded", cause: "already_refunded", actor: "worker", detail: { stripe: message } });
      return;
    }
    transition(deps, { orderId: order.id, from: "refunding", to: "needs_review", cause: "refund_refused", actor: "worker", detail: { stripe: message }, patch: { lastError: message } });
    deps.alerts.raise({ kind: "refund_failed", orderId: order.id, text: `${order.id}: Stripe refused the refund (${message})` });
    return;
  }
  transition(deps, {
    orderId: order.id,
    from: "refunding",
    to: "refunded",
    cause: "refund_created",
    actor: "worker",
    detail: { refund_id: refund.id, status: refund.status },
    patch: { refundId: refund.id, refundedAmount: refund.amount },
  });
  deps.alerts.raise({ kind: "refunded", orderId: order.id, text: `${order.id}: refunded ${formatMoney({ amount: refund.amount, currency: order.currency })} (${order.lastError ?? "supplier failure"})` });
  notifyCustomer(deps, order, "refunded-customer", {});
}

async function refundStarsOrder(deps: PipelineDeps, order: OrderRow): Promise<void> {
  let refundId: string;
  try {
    ({ refundId } = await refundStars(deps.api, order));
  } catch (error) {
    const message = (error as Error).message;
    const attempt = order.attempts + 1;
    if (attempt < deps.settings.maxAttempts * 3 && !/400/.test(message)) {
      deps.metrics.retries.inc({ step: "refund" });
      updateOrderFields(deps.db, order.id, "refunding", { attempts: attempt, lastError: message, nextAttemptAt: deps.now() + backoffDelay(deps.settings, attempt, deps.random) }, deps.now());
      return;
    }
    transition(deps, { orderId: order.id, from: "refunding", to: "needs_review", cause: "refund_refused", actor: "worker", detail: { telegram: message }, patch: { lastError: message } });
    deps.alerts.raise({ kind: "refund_failed", orderId: order.id, text: `${order.id}: Telegram refused the Stars refund (${message})` });
    return;
  }
  transition(deps, { orderId: order.id, from: "refunding", to: "refunded", cause: "stars_refunded", actor: "worker", detail: { refund_id: refundId }, patch: { refundId, refundedAmount: order.amount } });
  deps.alerts.raise({ kind: "refunded", orderId: order.id, text: `${order.id}: refunded ${order.amount} Stars (${order.lastError ?? "supplier failure"})` });
  notifyCustomer(deps, order, "refunded-customer", {});
}
