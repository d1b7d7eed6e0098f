// What an admin can do to an order, each step written to the order's event log with the admin's id.
// The bot's admin commands and the review buttons both call these.
import { deliveredItems } from "../db/schema.js";
import { runDeliveryStep } from "./delivery.js";
import type { PipelineDeps } from "./pipeline.js";
import { storeItems } from "./supplier-step.js";
import { validateItems, type ValidItem } from "./validate.js";
import { getOrder } from "../orders/repository.js";
import { codesWithheld, HOLDABLE_STATES, placeHold } from "../orders/hold.js";
import { returnUnusedStock } from "../orders/stock-return.js";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { wasStarsChargeRefunded } from "../payments/stars.js";
import { eq } from "drizzle-orm";

export type AdminResult = { ok: true; message: string } | { ok: false; message: string };

export interface AdminDeps {
  pipeline: PipelineDeps;
  wakeWorker: () => void;
}

function actor(adminId: number): string {
  return `admin:${adminId}`;
}

/**
 * Before a Stars order in review is fulfilled after all (Retry, Enter code): Telegram's ledger must not show its
 * charge refunded. A refund that timed out sent the order to review, but Telegram may have made it anyway; then
 * the customer has the Stars back and must not get the code too. A ledger that cannot be read refuses as well.
 */
async function refusalIfStarsRefunded(deps: AdminDeps, order: OrderRow): Promise<AdminResult | undefined> {
  if (order.paymentMethod !== "stars" || !order.telegramChargeId) return undefined;
  let refunded: boolean;
  try {
    refunded = await wasStarsChargeRefunded(deps.pipeline.api, order.telegramChargeId, order.paidAt ?? order.createdAt);
  } catch (error) {
    return { ok: false, message: `${order.id}: could not read Telegram's Stars ledger to check for a refund (${(error as Error).message}); nothing was changed, try again.` };
  }
  if (!refunded) return undefined;
  deps.pipeline.logger.warn({ order_id: order.id, charge_id: order.telegramChargeId }, "an admin action was refused: Telegram's ledger shows the Stars payment refunded");
  return {
    ok: false,
    message: `${order.id}: Telegram's ledger shows its Stars payment (${order.telegramChargeId}) was refunded to the customer, so it is not fulfilled. Close it with /refund ${order.id} manual.`,
  };
}

/** An order in review whose payment was disputed (or refunded in full) since: nothing is bought or sent for it. */
function contested(orderId: string, why: string): string {
  return `${orderId} is not fulfilled: ${why}. /disputes shows its dispute; close the order with /refund ${orderId} manual once it is settled.`;
}

/** A payment the fraud rules held is fulfilled only through a Release (with its confirmation and its log entry). */
function heldByFraudRules(orderId: string): string {
  return `${orderId} is held by the fraud rules: Release it (/release ${orderId}) if you trust the payment, or Refund it.`;
}

/** Back to `paid`: the worker asks the supplier by reference first, so nothing is ordered twice. */
export async function retryOrder(deps: AdminDeps, orderId: string, adminId: number): Promise<AdminResult> {
  return retryInReview(deps, orderId, { cause: "admin_retry", actor: actor(adminId) });
}

/** A retry of an order in review, by an admin or by the shop itself (after a balance top-up: `auto_retry_balance`). */
export async function retryInReview(deps: AdminDeps, orderId: string, by: { cause: string; actor: string }): Promise<AdminResult> {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "needs_review") return { ok: false, message: `${orderId} is ${order.status}; only orders in review can be retried.` };
  if (order.riskHeldAt !== null) return { ok: false, message: heldByFraudRules(orderId) };
  if (!order.stripePaymentIntentId && order.paidAt === null) return { ok: false, message: `${orderId} was never paid; nothing to retry.` };
  const withheld = codesWithheld(deps.pipeline.db, order);
  if (withheld) return { ok: false, message: contested(orderId, withheld) };
  const refused = await refusalIfStarsRefunded(deps, order);
  if (refused) return refused;
  transition(deps.pipeline, { orderId, from: "needs_review", to: "paid", cause: by.cause, actor: by.actor });
  deps.wakeWorker();
  return { ok: true, message: `${orderId}: retrying with the supplier (looked up by reference first).` };
}

/** Whether an order can be refunded from here now (asked before the admin confirms, and again when they do). */
export function checkRefund(deps: AdminDeps, orderId: string): { ok: true; order: OrderRow } | { ok: false; message: string } {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status === "needs_review") return { ok: true, order };
  if (HOLDABLE_STATES.includes(order.status)) {
    if (order.holdReason) return { ok: false, message: `${orderId} is already held (${order.holdReason}); it is being settled.` };
    return { ok: true, order };
  }
  const hint = order.status === "delivered" || order.status === "delivery_failed" ? " The code was delivered: refund it in the payment provider if you must; the order records it." : "";
  return { ok: false, message: `${orderId} is ${order.status}; only paid orders not yet delivered, or orders in review, are refunded from here.${hint}` };
}

/**
 * Refunds an order through the shop's flow. In review: refunded now. Paid and not yet delivered: held first
 * (no new supplier order, no code sent), then refunded once the supplier's side is known.
 */
export function refundOrder(deps: AdminDeps, orderId: string, adminId: number): AdminResult {
  const checked = checkRefund(deps, orderId);
  if (!checked.ok) return checked;
  const { order } = checked;
  if (order.status === "needs_review") {
    transition(deps.pipeline, { orderId, from: "needs_review", to: "refunding", cause: "admin_refund", actor: actor(adminId) });
    deps.wakeWorker();
    return { ok: true, message: `${orderId}: refund started.` };
  }
  const held = placeHold(deps.pipeline, order, "admin_refund", actor(adminId));
  deps.wakeWorker();
  return held.status === "refunding"
    ? { ok: true, message: `${orderId}: refund started (nothing had been ordered from the supplier).` }
    : { ok: true, message: `${orderId}: held; the supplier's side is settled first (its code, if any, is kept and not sent), then it is refunded.` };
}

/**
 * Closes an order whose refund the provider refuses (the payment no longer exists, a Stars refund Telegram
 * will not make) as refunded by hand, with the admin's note, instead of looping refunding → review.
 */
export function refundedByHand(deps: AdminDeps, orderId: string, adminId: number, note: string): AdminResult {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "needs_review" && order.status !== "refunding") {
    return { ok: false, message: `${orderId} is ${order.status}; only orders in review or being refunded can be closed as refunded by hand.` };
  }
  const text = note.trim().slice(0, 300) || "refunded by hand";
  transition(deps.pipeline, {
    orderId,
    from: order.status,
    to: "refunded",
    cause: "refunded_by_hand",
    actor: actor(adminId),
    detail: { note: text },
    patch: { lastError: `refunded by hand: ${text}` },
  });
  returnUnusedStock(deps.pipeline, order);
  return { ok: true, message: `${orderId}: closed as refunded by hand (${text}).` };
}

/**
 * Whether a typed code may be entered for an order now: the order in review, a single code product, the PIN the
 * product needs, and the same checks as a supplier's answer. Asked before the admin confirms, and again when they do.
 */
export function checkEnteredCode(deps: AdminDeps, orderId: string, code: string, pin: string | null): { ok: true; order: OrderRow; item: ValidItem } | { ok: false; message: string } {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "needs_review") return { ok: false, message: `${orderId} is ${order.status}; codes are entered only for orders in review.` };
  if (order.riskHeldAt !== null) return { ok: false, message: heldByFraudRules(orderId) };
  const withheld = codesWithheld(deps.pipeline.db, order);
  if (withheld) return { ok: false, message: contested(orderId, withheld) };
  if (order.product.kind !== "code") return { ok: false, message: `${orderId} is a top-up; there is no code to enter. Retry or refund it.` };
  if (order.quantity !== 1) return { ok: false, message: `${orderId} has ${order.quantity} units; enter codes by hand only for single-unit orders, or retry it.` };
  if (order.product.requiresPin && !pin?.trim()) return { ok: false, message: `${order.product.name} needs a PIN: send the code and the PIN.` };
  const checked = validateItems(order.product, 1, [{ code, pin }]);
  if (!checked.ok) return { ok: false, message: `That code was refused (${checked.reason.replace(/^item 1 has /, "")}); nothing was stored.` };
  return { ok: true, order, item: checked.items[0]! };
}

/**
 * An admin typed the code (and confirmed it): stored encrypted, then delivered by the worker. A Stars order whose
 * charge Telegram's ledger shows refunded is refused.
 */
export async function enterCode(deps: AdminDeps, orderId: string, adminId: number, code: string, pin: string | null): Promise<AdminResult> {
  const checked = checkEnteredCode(deps, orderId, code, pin);
  if (!checked.ok) return checked;
  const { item } = checked;
  const refused = await refusalIfStarsRefunded(deps, checked.order);
  if (refused) return refused;
  const now = deps.pipeline.now();
  transition(deps.pipeline, {
    orderId,
    from: "needs_review",
    to: "fulfilled",
    cause: "admin_entered_code",
    actor: actor(adminId),
    patch: { fulfilledAt: now },
    also: (tx) => {
      // A code the supplier sent that we did not trust is replaced by the admin's.
      tx.delete(deliveredItems).where(eq(deliveredItems.orderId, orderId)).run();
      storeItems(deps.pipeline, orderId, [item], actor(adminId), now);
    },
  });
  deps.wakeWorker();
  return { ok: true, message: `${orderId}: code stored and on its way to the customer.` };
}

/** Sends the delivery message again (a customer who unblocked the bot, or lost the message). */
export async function resendOrder(deps: AdminDeps, orderId: string, adminId: number): Promise<AdminResult> {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "delivered" && order.status !== "delivery_failed") {
    return { ok: false, message: `${orderId} is ${order.status}; only delivered or undeliverable orders can be resent.` };
  }
  const withheld = order.status === "delivery_failed" ? codesWithheld(deps.pipeline.db, order) : undefined;
  if (withheld) return { ok: false, message: `${orderId} is not resent: ${withheld}. The code stays stored; /order ${orderId} shows its story.` };
  try {
    const outcome = await runDeliveryStep(deps.pipeline, order, actor(adminId));
    return outcome.sent ? { ok: true, message: `${orderId}: sent to the customer again.` } : { ok: false, message: `${orderId}: Telegram refused (${outcome.reason}).` };
  } catch (error) {
    deps.pipeline.logger.error({ order_id: orderId, err: error }, "resend failed unexpectedly");
    return { ok: false, message: `${orderId}: could not be resent (${(error as Error).message}).` };
  }
}
