// The refund step of the pipeline: `failed` → `refunding` → a refund at the provider the order was paid with
// (payments/providers.ts) → `refunded` with the refund id. A refund the provider refuses goes to review;
// a passing error is retried with backoff.
import { sendToReview } from "../orders/review.js";
import { returnUnusedStock } from "../orders/stock-return.js";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { formatMoney } from "../lib/money.js";
import { scheduleRetry, type PipelineDeps } from "./pipeline.js";

export async function runRefundStep(deps: PipelineDeps, order: OrderRow): Promise<void> {
  if (order.status === "failed") {
    transition(deps, { orderId: order.id, from: "failed", to: "refunding", cause: "refund_started", actor: "worker" });
    return;
  }
  if (order.status !== "refunding") return;
  const attempt = await deps.payments.refund(order);
  if (attempt.outcome === "failed") {
    if (attempt.passing && order.attempts + 1 < deps.settings.maxAttempts * 3) return scheduleRetry(deps, order, "refund", attempt.message);
    const kind = order.paymentMethod === "stars" ? "stars_refund_failed" : "refund_failed";
    sendToReview(deps, order, { cause: attempt.cause, reason: attempt.message, actor: "worker", detail: attempt.detail, alert: { kind, text: `${order.id}: ${attempt.alert}` } });
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
    // A refund found already made (by an earlier attempt or by hand) was announced then; a new one commits its alert with it.
    also: () => {
      if (refund) deps.alerts.raise({ kind: "refunded", orderId: order.id, text: `${order.id}: refunded ${formatMoney({ amount: refund.amount, currency: order.currency })} (${order.lastError ?? "supplier failure"})` });
    },
  });
  returnUnusedStock(deps, order);
  if (refund) deps.notify(order, order.paymentMethod === "stars" ? "refunded-customer-stars" : "refunded-customer");
}
