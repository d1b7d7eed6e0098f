// Holds: money moved outside the happy path before the code reached the customer (refunded in Stripe, a
// dispute, an admin's refund). A held order never gets a new supplier order and its code is never sent; what the
// supplier already accepted is still collected, stored encrypted, and the order ends where the hold says.
import type { OrderStatus } from "../db/schema.js";
import type { Db } from "../db/connection.js";
import { formatMoney } from "../lib/money.js";
import { disputesOfOrder } from "./disputes.js";
import { sendToReview, type ReviewDeps } from "./review.js";
import { returnUnusedStock } from "./stock-return.js";
import { recordOrderNote, transition, type OrderPatch, type OrderRow, type Tx } from "./state-machine.js";

export type HoldReason = NonNullable<OrderRow["holdReason"]>;

/** Paid and not yet in the customer's hands: where a hold applies. */
export const HOLDABLE_STATES: readonly OrderStatus[] = ["paid", "supplier_pending", "fulfilled"];

const WHY: Record<HoldReason, string> = {
  stripe_refund: "refunded in Stripe before delivery",
  dispute: "payment disputed before delivery",
  admin_refund: "refund asked by an admin before delivery",
};

/**
 * Why an order's codes must not leave again by any road (an admin's resend, the customer back after blocking the
 * bot, an email), or undefined. An undelivered order refunded in full or disputed after it reached
 * `delivery_failed` has no hold (it is past the states a hold applies to) but its money went back or is contested.
 */
export function codesWithheld(db: Db, order: Pick<OrderRow, "id" | "amount" | "holdReason" | "refundedAmount" | "disputedAt">): string | undefined {
  if (order.holdReason) return `the order is held (${WHY[order.holdReason]})`;
  if (order.refundedAmount !== null && order.refundedAmount >= order.amount) return "its payment was refunded in full";
  if (order.disputedAt !== null && disputesOfOrder(db, order.id).some((d) => d.status !== "won")) return "its payment is disputed";
  return undefined;
}

/**
 * Holds a paid, undelivered order. When no supplier order can exist yet (paid, nothing sent to the supplier), the
 * hold is resolved at once; otherwise the worker resolves it once the supplier's side is known. Returns the row.
 */
export function placeHold(deps: ReviewDeps, order: OrderRow, reason: HoldReason, actor: string, detail: Record<string, unknown> = {}): OrderRow {
  if (!HOLDABLE_STATES.includes(order.status)) throw new Error(`order ${order.id} is ${order.status}: only paid, undelivered orders are held`);
  if (reason === "stripe_refund") deps.notify(order, "refunded-before-delivery");
  if (reason === "dispute") deps.notify(order, "disputed-before-delivery");
  if (order.status === "paid" && order.supplierRequestedAt === null) {
    // Nothing was sent to the supplier, and the step that would send it checks the status first.
    return resolveHold(deps, { ...order, holdReason: reason }, "no_supplier_order", actor, detail, { patch: { holdReason: reason } });
  }
  recordOrderNote(deps, {
    orderId: order.id,
    status: order.status,
    cause: `hold:${reason}`,
    actor,
    detail: { ...detail, reason: WHY[reason] },
    // Due now: the worker settles the supplier's side (look-up, poll) and resolves the hold.
    patch: { holdReason: reason, nextAttemptAt: deps.now() },
  });
  return { ...order, holdReason: reason, nextAttemptAt: deps.now() };
}

/**
 * Where a held order ends, once the supplier's side is known:
 * - refunded in Stripe: `refunded` when no code was bought; `needs_review` when one was (stored, not sent);
 * - disputed: `needs_review` (a person answers the dispute; any code is stored, not sent);
 * - an admin's refund: `refunding` (the pipeline refunds; any code is stored, not sent).
 */
export function resolveHold(
  deps: ReviewDeps,
  order: OrderRow,
  outcome: "no_supplier_order" | "supplier_failed" | "code_ready",
  actor: string,
  detail: Record<string, unknown> = {},
  extra: { patch?: OrderPatch; also?: (tx: Tx) => void } = {},
): OrderRow {
  const reason = order.holdReason;
  if (!reason) throw new Error(`order ${order.id} is not held`);
  const codeKept = outcome === "code_ready" ? "; the code is stored encrypted and was not sent" : "";
  const common = { orderId: order.id, from: order.status, actor, detail: { ...detail, outcome, hold: reason } };
  if (reason === "admin_refund") {
    return transition(deps, { ...common, to: "refunding", cause: `hold_resolved:${outcome}`, ...(extra.patch ? { patch: extra.patch } : {}), ...(extra.also ? { also: extra.also } : {}) });
  }
  if (reason === "stripe_refund" && outcome !== "code_ready") {
    const refunded = transition(deps, { ...common, to: "refunded", cause: "refunded_in_stripe", ...(extra.patch ? { patch: extra.patch } : {}) });
    returnUnusedStock(deps, refunded);
    return refunded;
  }
  const why =
    reason === "dispute"
      ? `${WHY.dispute}${codeKept}: answer the dispute in Stripe (/order ${order.id} has the log)`
      : `${WHY.stripe_refund}${codeKept}: the code was bought from the supplier; keep it for another order or return it`;
  return sendToReview(deps, order, {
    cause: `hold_resolved:${reason}`,
    reason: why,
    actor,
    detail: common.detail,
    ...(extra.patch ? { patch: extra.patch } : {}),
    ...(extra.also ? { also: extra.also } : {}),
    alert: { kind: reason === "dispute" ? "dispute" : "stripe_refund" },
    // The customer was told when the hold was placed.
    tellCustomer: false,
  });
}

/** One line on an amount refunded in Stripe, for alerts. */
export function refundedLine(orderId: string, amount: number, currency: string, what: string): string {
  return `${orderId}: ${formatMoney({ amount, currency: currency.toUpperCase() })} ${what}`;
}
