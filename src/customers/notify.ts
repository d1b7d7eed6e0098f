// Short status messages to a customer, in their language. Fire and forget: a lost notice costs little (the
// order view has the truth), so it never holds up or fails the step that sends it; one Telegram refuses may be
// handed to another channel (a refund notice by email, wired in app.ts).
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

export interface NotifierDeps {
  db: Db;
  api: Api;
  t: Translate;
  logger: Logger;
  /** Telegram refused the notice: another channel may take it (a refund notice by email), given Telegram's error. */
  onRefused?: (order: NoticeOrder, key: string, variables: Record<string, string | number>, error: unknown) => void;
}

export function createCustomerNotifier(deps: NotifierDeps): NotifyCustomer {
  return (order, key, variables = {}) => {
    const locale = customerLanguage(deps.db, order.customerId);
    const all = { order: order.id, amount: formatMoney({ amount: order.amount, currency: order.currency }, locale), ...variables };
    const text = deps.t(locale, key, all);
    deps.api.sendMessage(order.chatId, text, { parse_mode: "HTML" }).catch((error: unknown) => {
      deps.logger.warn({ order_id: order.id, err: error, key }, "could not send a notice to the customer");
      try {
        deps.onRefused?.(order, key, all, error);
      } catch (fallbackError) {
        deps.logger.error({ order_id: order.id, err: fallbackError, key }, "the notice's other channel failed too");
      }
    });
  };
}
