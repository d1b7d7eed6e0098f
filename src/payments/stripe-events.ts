// The worker's side of Stripe events: each stored event is applied once, in the order received.
// An order is paid only when Stripe says `paid` and the amount and currency are the order's own.
import type Stripe from "stripe";
import { perDatabase } from "../db/connection.js";
import { getDispute, upsertDispute } from "../orders/disputes.js";
import { HOLDABLE_STATES, placeHold, refundedLine } from "../orders/hold.js";
import { returnUnusedStock } from "../orders/stock-return.js";
import { getOrder, getOrderByCharge, getOrderByPaymentIntent, updateOrderFields } from "../orders/repository.js";
import { sendToReview, type ReviewDeps } from "../orders/review.js";
import { recordOrderNote, StaleTransitionError, transition, type OrderRow, type Tx } from "../orders/state-machine.js";
import { parseEmailAddress, orderEmailContext } from "../email/address.js";
import type { Sealer } from "../lib/crypto.js";
import { countPromoUse } from "../promo/codes.js";
import { formatMoney } from "../lib/money.js";
import { addBan } from "../risk/bans.js";
import type { RiskSettings } from "../risk/rules.js";

export interface StripeEventDeps extends ReviewDeps {
  /** An order became paid here: the pipeline takes it from there (the paid notice, a wake-up of the worker). */
  onPaid(orderId: string): void;
  risk: Pick<RiskSettings, "banOnDispute">;
  /** Seals the customer's email from Checkout, like codes. */
  sealer: Sealer;
}
type Deps = StripeEventDeps;

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
  waiting: db.$client.prepare<[string], { id: string; type: string; payload: string }>(
    "SELECT id, type, payload FROM stripe_events WHERE payment_intent_id = ? AND outcome = 'waiting_for_order' ORDER BY received_at",
  ),
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
  "charge.dispute.updated",
  "charge.dispute.closed",
  "charge.dispute.funds_withdrawn",
  "charge.dispute.funds_reinstated",
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
    case "charge.dispute.updated":
    case "charge.dispute.closed":
    case "charge.dispute.funds_withdrawn":
    case "charge.dispute.funds_reinstated":
      return onDispute(deps, event.data.object, event.type);
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
  // The email Checkout collected: where the codes go if Telegram cannot deliver them (sealed, never logged).
  const email = parseEmailAddress(session.customer_details?.email);
  const emailEnc = email ? deps.sealer.seal(email, orderEmailContext(order.id)) : null;
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
      patch: { stripePaymentIntentId: paymentIntentId, paidAt: deps.now(), emailEnc },
      // A promo's use is counted with the payment, once (this move happens once per order).
      also: (tx) => countPromoUse(tx, order, deps.logger),
    });
    deps.onPaid(paid.id);
    if (paymentIntentId) applyWaitingEvents(deps, paymentIntentId);
    return "paid";
  }
  if (order.status === "awaiting_payment" || order.status === "expired" || order.status === "cancelled") {
    // Money arrived that we cannot simply fulfil: a person decides (deliver or refund). Never dropped.
    const cause = matches ? "paid_after_close" : "payment_mismatch";
    const what = matches
      ? `paid after the order was ${order.status}`
      : `Stripe charged ${formatMoney({ amount: session.amount_total ?? 0, currency: (session.currency ?? order.currency).toUpperCase() })} for an order of ${formatMoney({ amount: order.amount, currency: order.currency })}`;
    sendToReview(deps, order, {
      cause,
      reason: what,
      actor: "stripe",
      detail,
      patch: { stripePaymentIntentId: paymentIntentId, paidAt: deps.now(), emailEnc },
      // Paid in full after the order closed: the promo was used (a mismatch is not a payment of the order).
      ...(matches ? { also: (tx: Tx) => countPromoUse(tx, order, deps.logger) } : {}),
      alert: { kind: "payment_mismatch" },
    });
    if (paymentIntentId) applyWaitingEvents(deps, paymentIntentId);
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

/** The outcome of a charge or dispute event whose payment the shop has not seen paid yet: applied when it is. */
const WAITING = "waiting_for_order";

/**
 * Charge and dispute events that arrived before the payment they name was recorded (Stripe's order of events is
 * arbitrary), applied now that the order has its payment intent.
 */
function applyWaitingEvents(deps: Deps, paymentIntentId: string): void {
  const { waiting, markProcessed } = statements(deps.db);
  for (const row of waiting.all(paymentIntentId)) {
    const outcome = applyStripeEvent(deps, JSON.parse(row.payload) as Stripe.Event);
    markProcessed.run(deps.now(), `${outcome} (after waiting)`, row.id);
  }
}

/** The order a charge (or a dispute's charge) belongs to: by the charge id once known, else by the payment intent. */
function orderOfCharge(deps: Deps, chargeId: string | null, paymentIntent: string | { id: string } | null | undefined): OrderRow | undefined {
  const byCharge = chargeId ? getOrderByCharge(deps.db, chargeId) : undefined;
  if (byCharge) return byCharge;
  const paymentIntentId = paymentIntentIdOf(paymentIntent);
  const order = paymentIntentId ? getOrderByPaymentIntent(deps.db, paymentIntentId) : undefined;
  if (order && chargeId && order.stripeChargeId === null) {
    updateOrderFields(deps.db, order.id, order.status, { stripeChargeId: chargeId }, deps.now());
    return { ...order, stripeChargeId: chargeId };
  }
  return order;
}

function money(amount: number, currency: string): string {
  return formatMoney({ amount, currency: currency.toUpperCase() });
}

/**
 * A refund made at Stripe (in the dashboard, or ours confirmed). A full refund of an order not yet delivered
 * holds it: no supplier order is placed, a code that arrives is kept but not sent. A partial refund is an amount.
 */
function onChargeRefunded(deps: Deps, charge: Stripe.Charge): string {
  const order = orderOfCharge(deps, charge.id, charge.payment_intent);
  if (!order) return paymentIntentIdOf(charge.payment_intent) ? WAITING : "unknown_order";
  const refunded = charge.amount_refunded;
  if (order.refundedAmount !== null && order.refundedAmount >= refunded) return "duplicate";
  const full = charge.refunded === true || refunded >= (charge.amount ?? order.amount);
  const detail = { charge_id: charge.id, amount_refunded: refunded, full };
  const note = (cause: string) =>
    recordOrderNote(deps, { orderId: order.id, status: order.status, cause, actor: "stripe", detail, patch: { refundedAmount: refunded } });

  if (order.status === "refunded") return "duplicate";
  if (order.status === "refunding") {
    // Our own refund (or one made while ours was under way): the refund step records it and tells the customer.
    note("charge.refunded");
    return "own_refund_confirmed";
  }
  if (!full) {
    note("charge.partially_refunded");
    deps.alerts.raise({ kind: "stripe_refund", orderId: order.id, text: refundedLine(order.id, refunded, charge.currency, `of ${money(order.amount, order.currency)} refunded in Stripe (partial; the order goes on as ${order.status})`) });
    return "partial_refund_recorded";
  }
  if (HOLDABLE_STATES.includes(order.status)) {
    const held = placeHold(deps, order, "stripe_refund", "stripe", detail);
    updateOrderFields(deps.db, order.id, held.status, { refundedAmount: refunded }, deps.now());
    deps.alerts.raise({
      kind: "stripe_refund",
      orderId: order.id,
      text: refundedLine(order.id, refunded, charge.currency, `refunded in Stripe before delivery: ${held.status === "refunded" ? "no code was bought; closed as refunded" : "held, the code will not be sent"}`),
    });
    return `held:${held.status}`;
  }
  if (order.status === "needs_review") {
    // Refunded by hand in the dashboard: the order is closed.
    transition(deps, { orderId: order.id, from: "needs_review", to: "refunded", cause: "charge.refunded", actor: "stripe", detail, patch: { refundedAmount: refunded } });
    returnUnusedStock(deps, order);
  } else {
    note("charge.refunded");
  }
  deps.alerts.raise({ kind: "stripe_refund", orderId: order.id, text: refundedLine(order.id, refunded, charge.currency, `refunded in Stripe (order was ${order.status})`) });
  return "refund_recorded";
}

/** RISK_BAN_ON_DISPUTE: the customer and the card behind a dispute buy nothing more; returns what the alert says. */
function banDisputer(deps: Deps, order: OrderRow, disputeId: string): string {
  const reason = `dispute ${disputeId} on ${order.id}`;
  addBan(deps.db, "customer", String(order.customerId), reason, "system", deps.now());
  if (order.cardFingerprint) addBan(deps.db, "card", order.cardFingerprint, reason, "system", deps.now());
  return `; customer ${order.customerId}${order.cardFingerprint ? " and their card" : ""} banned (RISK_BAN_ON_DISPUTE)`;
}

/**
 * Disputes: recorded with their reason, amount and evidence due date. Opened before delivery, the order is held
 * like a refunded one; on a delivered order, ops are told at once. Closing records won or lost.
 */
function onDispute(deps: Deps, dispute: Stripe.Dispute, type: string): string {
  const chargeId = typeof dispute.charge === "string" ? dispute.charge : (dispute.charge?.id ?? null);
  const order = orderOfCharge(deps, chargeId, dispute.payment_intent);
  if (!order && paymentIntentIdOf(dispute.payment_intent)) return WAITING;
  const now = deps.now();
  const dueBy = dispute.evidence_details?.due_by ? dispute.evidence_details.due_by * 1000 : null;
  const facts = {
    id: dispute.id,
    orderId: order?.id ?? null,
    chargeId,
    paymentIntentId: paymentIntentIdOf(dispute.payment_intent),
    amount: dispute.amount,
    currency: dispute.currency,
    reason: dispute.reason,
    status: dispute.status ?? "needs_response",
    evidenceDueBy: dueBy,
  };
  const amount = money(dispute.amount, dispute.currency);
  const due = dueBy ? new Date(dueBy).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "unknown";
  if (type === "charge.dispute.created" || !getDispute(deps.db, dispute.id)) {
    const beforeDelivery = order !== undefined && HOLDABLE_STATES.includes(order.status);
    const { created } = upsertDispute(deps.db, facts, now, { beforeDelivery });
    if (!created && type === "charge.dispute.created") return "duplicate";
    if (!order) {
      deps.alerts.raise({ kind: "dispute", text: `dispute ${dispute.id} (${dispute.reason}) for ${amount} names no order of ours; evidence due ${due}` });
      return "unknown_order";
    }
    recordOrderNote(deps, {
      orderId: order.id,
      status: order.status,
      cause: "charge.dispute.created",
      actor: "stripe",
      detail: { dispute_id: dispute.id, reason: dispute.reason, amount: dispute.amount, evidence_due_by: dueBy },
      patch: { disputedAt: order.disputedAt ?? now },
    });
    const banned = deps.risk.banOnDispute ? banDisputer(deps, order, dispute.id) : "";
    const base = `${order.id}: dispute ${dispute.id} (${dispute.reason}) for ${amount}, evidence due ${due}${banned}`;
    if (beforeDelivery) {
      const held = placeHold(deps, order, "dispute", "stripe", { dispute_id: dispute.id });
      deps.alerts.raise({ kind: "dispute", orderId: order.id, text: `${base}; opened before delivery: ${held.status === "needs_review" ? "no code was bought; the order is in review" : "held, the code will not be sent"}` });
      return `held:${held.status}`;
    }
    deps.alerts.raise({ kind: "dispute", orderId: order.id, text: `${base}; the order was ${order.status}` });
    if (type === "charge.dispute.created") return "dispute_recorded";
  }
  // Later events of a known dispute: its status, the money moving, the outcome.
  const extra =
    type === "charge.dispute.funds_withdrawn"
      ? { fundsWithdrawnAt: now }
      : type === "charge.dispute.funds_reinstated"
        ? { fundsReinstatedAt: now }
        : type === "charge.dispute.closed"
          ? { closedAt: now }
          : {};
  upsertDispute(deps.db, facts, now, extra);
  if (order) {
    recordOrderNote(deps, { orderId: order.id, status: order.status, cause: type, actor: "stripe", detail: { dispute_id: dispute.id, status: facts.status } });
  }
  if (type === "charge.dispute.closed") {
    const outcome = facts.status === "won" ? "won: the money stays" : facts.status === "lost" ? "lost: the money went back to the cardholder" : facts.status;
    deps.alerts.raise({ kind: "dispute", ...(order ? { orderId: order.id } : {}), text: `${order?.id ?? dispute.id}: dispute ${dispute.id} closed, ${outcome}` });
  }
  return `dispute_${facts.status}`;
}
