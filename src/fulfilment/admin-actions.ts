// What an admin can do to an order, each step written to the order's event log with the admin's id.
// The bot's admin commands and the review buttons both call these.
import { deliveredItems } from "../db/schema.js";
import { runDeliveryStep } from "./delivery.js";
import type { PipelineDeps } from "./pipeline.js";
import { storeItems } from "./supplier-step.js";
import { validateItems, type ValidItem } from "./validate.js";
import { getOrder } from "../orders/repository.js";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { eq } from "drizzle-orm";

export type AdminResult = { ok: true; message: string } | { ok: false; message: string };

export interface AdminDeps {
  pipeline: PipelineDeps;
  wakeWorker: () => void;
}

function actor(adminId: number): string {
  return `admin:${adminId}`;
}

/** Back to `paid`: the worker asks the supplier by reference first, so nothing is ordered twice. */
export function retryOrder(deps: AdminDeps, orderId: string, adminId: number): AdminResult {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "needs_review") return { ok: false, message: `${orderId} is ${order.status}; only orders in review can be retried.` };
  if (!order.stripePaymentIntentId && order.paidAt === null) return { ok: false, message: `${orderId} was never paid; nothing to retry.` };
  transition(deps.pipeline, { orderId, from: "needs_review", to: "paid", cause: "admin_retry", actor: actor(adminId) });
  deps.wakeWorker();
  return { ok: true, message: `${orderId}: retrying with the supplier (looked up by reference first).` };
}

/** Whether an order can be refunded from here now (asked before the admin confirms, and again when they do). */
export function checkRefund(deps: AdminDeps, orderId: string): { ok: true; order: OrderRow } | { ok: false; message: string } {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "needs_review") {
    return { ok: false, message: `${orderId} is ${order.status}; only orders in review are refunded from here (refund others in the Stripe dashboard).` };
  }
  return { ok: true, order };
}

export function refundOrder(deps: AdminDeps, orderId: string, adminId: number): AdminResult {
  const checked = checkRefund(deps, orderId);
  if (!checked.ok) return checked;
  transition(deps.pipeline, { orderId, from: "needs_review", to: "refunding", cause: "admin_refund", actor: actor(adminId) });
  deps.wakeWorker();
  return { ok: true, message: `${orderId}: refund started.` };
}

/**
 * Whether a typed code may be entered for an order now: the order in review, a single code product, the PIN the
 * product needs, and the same checks as a supplier's answer. Asked before the admin confirms, and again when they do.
 */
export function checkEnteredCode(deps: AdminDeps, orderId: string, code: string, pin: string | null): { ok: true; order: OrderRow; item: ValidItem } | { ok: false; message: string } {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "needs_review") return { ok: false, message: `${orderId} is ${order.status}; codes are entered only for orders in review.` };
  if (order.product.kind !== "code") return { ok: false, message: `${orderId} is a top-up; there is no code to enter. Retry or refund it.` };
  if (order.quantity !== 1) return { ok: false, message: `${orderId} has ${order.quantity} units; enter codes by hand only for single-unit orders, or retry it.` };
  if (order.product.requiresPin && !pin?.trim()) return { ok: false, message: `${order.product.name} needs a PIN: send the code and the PIN.` };
  const checked = validateItems(order.product, 1, [{ code, pin }]);
  if (!checked.ok) return { ok: false, message: `That code was refused (${checked.reason.replace(/^item 1 has /, "")}); nothing was stored.` };
  return { ok: true, order, item: checked.items[0]! };
}

/** An admin typed the code (and confirmed it): stored encrypted, then delivered by the worker. */
export function enterCode(deps: AdminDeps, orderId: string, adminId: number, code: string, pin: string | null): AdminResult {
  const checked = checkEnteredCode(deps, orderId, code, pin);
  if (!checked.ok) return checked;
  const { item } = checked;
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
      storeItems(deps.pipeline, tx, orderId, [item], actor(adminId), now);
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
  try {
    const outcome = await runDeliveryStep(deps.pipeline, order, actor(adminId));
    return outcome.sent ? { ok: true, message: `${orderId}: sent to the customer again.` } : { ok: false, message: `${orderId}: Telegram refused (${outcome.reason}).` };
  } catch (error) {
    deps.pipeline.logger.error({ order_id: orderId, err: error }, "resend failed unexpectedly");
    return { ok: false, message: `${orderId}: could not be resent (${(error as Error).message}).` };
  }
}
