// "Payment received, getting your code": sent only when the code does not follow within a second.
import { getOrder, getOrderState, updateOrderFields } from "../orders/repository.js";
import type { PipelineDeps } from "./pipeline.js";

/** How long after the payment the code may take before the customer is told "payment received". */
export const PAID_NOTICE_DELAY_MS = 1_000;

/**
 * "Payment received, getting your code", unless the code itself gets there first: one message in the
 * usual case (the code, headed "payment received"), two when the supplier takes more than a moment.
 */
export function schedulePaidNotice(deps: Pick<PipelineDeps, "db" | "notify" | "logger" | "now">, orderId: string): void {
  const timer = setTimeout(() => {
    try {
      if (!deps.db.$client.open) return; // the shop stopped in the meantime
      // Usually the code got there first: the few columns that say so are read, the row only when it did not.
      const state = getOrderState(deps.db, orderId);
      if (!state || !["paid", "supplier_pending"].includes(state.status) || state.paidNoticeAt !== null || state.slowNoticeAt !== null) return;
      const order = getOrder(deps.db, orderId);
      if (!order) return;
      if (!updateOrderFields(deps.db, order.id, order.status, { paidNoticeAt: deps.now() }, deps.now())) return;
      deps.notify(order, order.product.kind === "topup" ? "paid-topup-received" : "paid-received");
    } catch (error) {
      // A timer's error would end the process: a lost notice costs nothing, the code still comes.
      deps.logger.error({ err: error, order_id: orderId }, "could not send the payment-received notice");
    }
  }, PAID_NOTICE_DELAY_MS);
  timer.unref();
}
