// The worker's side of Stripe events: each stored event is applied once, in the order received.
// An order is paid only when Stripe says `paid` and the amount and currency are the order's own.
import type Stripe from "stripe";
import { perDatabase } from "../db/connection.js";
import { getOrder, getOrderByPaymentIntent } from "../orders/repository.js";
import { recordOrderNote, StaleTransitionError, transition, type OrderRow } from "../orders/state-machine.js";
import type { PipelineDeps } from "../fulfilment/pipeline.js";
import { schedulePaidNotice } from "../fulfilment/notify.js";
import { returnUnusedStock } from "./stock-return.js";
import { formatMoney } from "../lib/money.js";

type Deps = Pick<PipelineDeps, "db" | "logger" | "now" | "alerts" | "api" | "t">;

/** Applies every stored, unprocessed event. Returns how many were processed. */
export function processStripeEvents(deps: Deps, limit = 500): number {
  const { unprocessed, markProcessed } = statements(deps.db);
  const rows = unprocessed.all(limit);
  // One commit for the batch; each event in a savepoint of its own, its effect and its "processed" mark
  // together, so a crash cannot apply one twice and one event's failure does not undo the others.
  deps.db.$client.transaction(() => {
  for (const row of rows) {
    deps.db.$client.transaction(() => {
      let outcome: string;
      try {
        // Types the shop does not act on are marked without parsing them (an endpoint may be sent many).
        outcome = HANDLED_TYPES.has(row.type) ? applyStripeEvent(deps, JSON.parse(row.payload) as Stripe.Event) : "ignored";
      } catch (error) {
        if (error instanceof StaleTransitionError) outcome = `stale: ${error.message}`;
        else {
          deps.logger.error({ err: error, event_id: row.id }, "could not process a Stripe event");
          deps.alerts.raise({ kind: "webhook_failures", text: `Stripe event ${row.id} (${row.type}) failed: ${(error as Error).message}` });
          outcome = `error: ${(error as Error).message}`;
        }
      }
      markProcessed.run(deps.now(), outcome, row.id);
    })();
  }
  })();
  return rows.length;
}

const statements = perDatabase((db) => ({
    unprocessed: db.$client.prepare<[number], { id: string; type: string; payload: string }>(
      "SELECT id, type, payload FROM stripe_events WHERE processed_at IS NULL ORDER BY received_at LIMIT ?",
    ),
  markProcessed: db.$client.prepare<[number, string, string]>("UPDATE stripe_events SET processed_at = ?, outcome = ? WHERE id = ?"),
}));

function orderIdOf(session: Stripe.Checkout.Session): string | undefined {
  return session.client_reference_id ?? session.metadata?.["order_id"] ?? undefined;
}

function paymentIntentIdOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

export const HANDLED_TYPES = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "charge.refunded",
  "charge.dispute.created",
]);

export function applyStripeEvent(deps: Deps, event: Stripe.Event): string {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return onSessionPaid(deps, event.data.object, event);
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired":
      return onSessionClosed(deps, event.data.object, event.type);
    case "charge.refunded":
      return onChargeRefunded(deps, event.data.object);
    case "charge.dispute.created":
      return onDispute(deps, event.data.object);
    default:
      return "ignored";
  }
}

function onSessionPaid(deps: Deps, session: Stripe.Checkout.Session, event: Stripe.Event): string {
  const orderId = orderIdOf(session);
  const order = orderId ? getOrder(deps.db, orderId) : undefined;
  if (!order) {
    deps.alerts.raise({ kind: "payment_mismatch", text: `Stripe session ${session.id} was paid but names no order of ours (${orderId ?? "none"})` });
    return "unknown_order";
  }
  if (session.payment_status !== "paid") {
    recordOrderNote(deps, { orderId: order.id, status: order.status, cause: "payment_processing", actor: "stripe", detail: { event_id: event.id, payment_status: session.payment_status } });
    return `not_paid_yet:${session.payment_status}`;
  }
  const paymentIntentId = paymentIntentIdOf(session.payment_intent);
  const detail = { event_id: event.id, session_id: session.id, amount_total: session.amount_total, currency: session.currency };
  const matches =
    session.id === order.stripeSessionId &&
    session.amount_total === order.amount &&
    (session.currency ?? "").toUpperCase() === order.currency.toUpperCase();

  if (order.status === "awaiting_payment" && matches) {
    const paid = transition(deps, {
      orderId: order.id,
      from: "awaiting_payment",
      to: "paid",
      cause: event.type,
      actor: "stripe",
      detail,
      patch: { stripePaymentIntentId: paymentIntentId, paidAt: deps.now() },
    });
    schedulePaidNotice(deps, paid.id);
    return "paid";
  }
  if (order.status === "awaiting_payment" || order.status === "expired" || order.status === "cancelled") {
    // Money arrived that we cannot simply fulfil: a person decides (deliver or refund). Never dropped.
    const cause = matches ? "paid_after_close" : "payment_mismatch";
    transition(deps, {
      orderId: order.id,
      from: order.status,
      to: "needs_review",
      cause,
      actor: "stripe",
      detail,
      patch: { stripePaymentIntentId: paymentIntentId, paidAt: deps.now(), lastError: cause },
    });
    const what = matches
      ? `paid after the order was ${order.status}`
      : `Stripe charged ${formatMoney({ amount: session.amount_total ?? 0, currency: (session.currency ?? order.currency).toUpperCase() })} for an order of ${formatMoney({ amount: order.amount, currency: order.currency })}`;
    deps.alerts.raise({ kind: "payment_mismatch", orderId: order.id, text: `${order.id}: ${what}` });
    return cause;
  }
  return "duplicate"; // already paid: a second copy or a late retry of the same payment changes nothing
}

function onSessionClosed(deps: Deps, session: Stripe.Checkout.Session, type: string): string {
  const orderId = orderIdOf(session);
  const order = orderId ? getOrder(deps.db, orderId) : undefined;
  if (!order) return "unknown_order";
  if (order.status !== "awaiting_payment" || session.id !== order.stripeSessionId) return "ignored";
  transition(deps, {
    orderId: order.id,
    from: "awaiting_payment",
    to: type === "checkout.session.expired" ? "expired" : "cancelled",
    cause: type,
    actor: "stripe",
  });
  return type === "checkout.session.expired" ? "expired" : "cancelled";
}

function orderOfCharge(deps: Deps, charge: { payment_intent: string | { id: string } | null }): OrderRow | undefined {
  const paymentIntentId = paymentIntentIdOf(charge.payment_intent);
  return paymentIntentId ? getOrderByPaymentIntent(deps.db, paymentIntentId) : undefined;
}

function onChargeRefunded(deps: Deps, charge: Stripe.Charge): string {
  const order = orderOfCharge(deps, charge);
  if (!order) return "unknown_order";
  const detail = { charge_id: charge.id, amount_refunded: charge.amount_refunded };
  if (order.status === "refunded") return "duplicate";
  if (order.status === "needs_review" || order.status === "refunding") {
    // Refunded by hand in the dashboard, or our own refund confirmed: the order is closed.
    transition(deps, { orderId: order.id, from: order.status, to: "refunded", cause: "charge.refunded", actor: "stripe", detail, patch: { refundedAmount: charge.amount_refunded } });
    returnUnusedStock(deps, order);
  } else {
    recordOrderNote(deps, { orderId: order.id, status: order.status, cause: "charge.refunded", actor: "stripe", detail, patch: { refundedAmount: charge.amount_refunded } });
  }
  deps.alerts.raise({ kind: "stripe_refund", orderId: order.id, text: `${order.id}: ${formatMoney({ amount: charge.amount_refunded, currency: charge.currency.toUpperCase() })} refunded in Stripe (order was ${order.status})` });
  return "refund_recorded";
}

function onDispute(deps: Deps, dispute: Stripe.Dispute): string {
  const order = orderOfCharge(deps, dispute);
  if (!order) return "unknown_order";
  if (order.disputedAt !== null) return "duplicate";
  recordOrderNote(deps, {
    orderId: order.id,
    status: order.status,
    cause: "charge.dispute.created",
    actor: "stripe",
    detail: { dispute_id: dispute.id, reason: dispute.reason, amount: dispute.amount },
    patch: { disputedAt: deps.now() },
  });
  deps.alerts.raise({ kind: "dispute", orderId: order.id, text: `${order.id}: dispute ${dispute.id} (${dispute.reason}) for ${formatMoney({ amount: dispute.amount, currency: dispute.currency.toUpperCase() })}` });
  return "dispute_recorded";
}
