// Short status messages to the customer, in their language. Fire and forget: a lost notice costs
// nothing (the order view has the truth), so it never holds up or fails a pipeline step.
import { getCustomer } from "../customers/repository.js";
import { formatMoney } from "../lib/money.js";
import type { OrderRow } from "../orders/state-machine.js";
import { getOrder, updateOrderFields } from "../orders/repository.js";
import type { PipelineDeps } from "./pipeline.js";

export function customerLanguage(deps: Pick<PipelineDeps, "db">, customerId: number): string {
  return getCustomer(deps.db, customerId)?.language ?? "en";
}

export function notifyCustomer(
  deps: Pick<PipelineDeps, "db" | "api" | "t" | "logger">,
  order: Pick<OrderRow, "id" | "customerId" | "chatId" | "amount" | "currency">,
  key: string,
  variables: Record<string, string | number>,
): void {
  const locale = customerLanguage(deps, order.customerId);
  const text = deps.t(locale, key, {
    order: order.id,
    amount: formatMoney({ amount: order.amount, currency: order.currency }, locale),
    ...variables,
  });
  deps.api.sendMessage(order.chatId, text, { parse_mode: "HTML" }).catch((error: unknown) => {
    deps.logger.warn({ order_id: order.id, err: error, key }, "could not send a notice to the customer");
  });
}

/** How long after the payment the code may take before the customer is told "payment received". */
export const PAID_NOTICE_DELAY_MS = 1_000;

/**
 * "Payment received, getting your code", unless the code itself gets there first: one message in the
 * usual case (the code, headed "payment received"), two when the supplier takes more than a moment.
 */
export function schedulePaidNotice(deps: Pick<PipelineDeps, "db" | "api" | "t" | "logger" | "now">, orderId: string): void {
  const timer = setTimeout(() => {
    if (!deps.db.$client.open) return; // the shop stopped in the meantime
    const order = getOrder(deps.db, orderId);
    if (!order || !["paid", "supplier_pending"].includes(order.status) || order.paidNoticeAt !== null || order.slowNoticeAt !== null) return;
    if (!updateOrderFields(deps.db, order.id, order.status, { paidNoticeAt: deps.now() }, deps.now())) return;
    notifyCustomer(deps, order, order.product.kind === "topup" ? "paid-topup-received" : "paid-received", {});
  }, PAID_NOTICE_DELAY_MS);
  timer.unref();
}
