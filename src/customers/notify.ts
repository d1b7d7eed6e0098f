// Short status messages to a customer, in their language. Fire and forget: a lost notice costs nothing (the
// order view has the truth), so it never holds up or fails the step that sends it.
import type { Api } from "grammy";
import type { Translate } from "../bot/i18n.js";
import type { Db } from "../db/connection.js";
import { formatMoney } from "../lib/money.js";
import type { Logger } from "../logger.js";
import type { OrderRow } from "../orders/state-machine.js";
import { getCustomer } from "./repository.js";

export type NoticeOrder = Pick<OrderRow, "id" | "customerId" | "chatId" | "amount" | "currency">;

/** Sends the text under `key` to the order's customer; `order` and `amount` are filled in for every text. */
export type NotifyCustomer = (order: NoticeOrder, key: string, variables?: Record<string, string | number>) => void;

export function customerLanguage(db: Db, customerId: number): string {
  return getCustomer(db, customerId)?.language ?? "en";
}

export function createCustomerNotifier(deps: { db: Db; api: Api; t: Translate; logger: Logger }): NotifyCustomer {
  return (order, key, variables = {}) => {
    const locale = customerLanguage(deps.db, order.customerId);
    const text = deps.t(locale, key, {
      order: order.id,
      amount: formatMoney({ amount: order.amount, currency: order.currency }, locale),
      ...variables,
    });
    deps.api.sendMessage(order.chatId, text, { parse_mode: "HTML" }).catch((error: unknown) => {
      deps.logger.warn({ order_id: order.id, err: error, key }, "could not send a notice to the customer");
    });
  };
}
