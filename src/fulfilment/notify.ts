// Short status messages to the customer, in their language. Fire and forget: a lost notice costs
// nothing (the order view has the truth), so it never holds up or fails a pipeline step.
import { getCustomer } from "../customers/repository.js";
import { formatMoney } from "../lib/money.js";
import type { OrderRow } from "../orders/state-machine.js";
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
