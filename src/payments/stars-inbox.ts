// Telegram Stars payments made durable: each charge is stored the moment it arrives (the successful_payment
// update, or Telegram's own ledger read by getStarTransactions), then applied from the inbox like a Stripe event.
// A second charge for one order, or one that names no order of ours, goes back to the customer automatically.
import type { Api } from "grammy";
import type { SuccessfulPayment } from "grammy/types";
import { getProduct, isForSale } from "../catalog/catalog.js";
import { perDatabase, type Db } from "../db/connection.js";
import { formatMoney } from "../lib/money.js";
import type { Logger } from "../logger.js";
import type { Alerts } from "../ops/alerts.js";
import { getOrder } from "../orders/repository.js";
import { sendToReview, type ReviewDeps } from "../orders/review.js";
import { transition } from "../orders/state-machine.js";
import { countPromoUse } from "../promo/codes.js";
import { refundStars, STARS } from "./stars.js";

export interface StarsPaymentRow {
  charge_id: string;
  order_id: string;
  user_id: number;
  amount: number;
  currency: string;
  source: string;
}

const statements = perDatabase((db: Db) => ({
  insert: db.$client.prepare<[string, string, number, number, string, string, number]>(
    "INSERT INTO stars_payments (charge_id, order_id, user_id, amount, currency, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(charge_id) DO NOTHING",
  ),
  unprocessed: db.$client.prepare<[number], StarsPaymentRow>(
    "SELECT charge_id, order_id, user_id, amount, currency, source FROM stars_payments WHERE processed_at IS NULL ORDER BY received_at LIMIT ?",
  ),
  markProcessed: db.$client.prepare<[number, string, number | null, string]>(
    "UPDATE stars_payments SET processed_at = ?, outcome = ?, refund_due_at = ? WHERE charge_id = ?",
  ),
  refundsDue: db.$client.prepare<[number, number], StarsPaymentRow & { refund_attempts: number; outcome: string }>(
    "SELECT charge_id, order_id, user_id, amount, currency, source, refund_attempts, outcome FROM stars_payments WHERE refund_due_at IS NOT NULL AND refund_due_at <= ? AND refunded_at IS NULL ORDER BY refund_due_at LIMIT ?",
  ),
  refunded: db.$client.prepare<[number, string]>("UPDATE stars_payments SET refunded_at = ?, last_error = NULL WHERE charge_id = ?"),
  refundFailed: db.$client.prepare<[number | null, string, string]>(
    "UPDATE stars_payments SET refund_attempts = refund_attempts + 1, refund_due_at = ?, last_error = ? WHERE charge_id = ?",
  ),
  readState: db.$client.prepare<[string], { value: string }>("SELECT value FROM shop_state WHERE key = ?"),
  writeState: db.$client.prepare<[string, string, number]>(
    "INSERT INTO shop_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
  ),
}));

/** Stores a charge once (by its charge id); true when it was new. Runs before anything else happens to it. */
export function storeStarsPayment(db: Db, payment: Pick<SuccessfulPayment, "telegram_payment_charge_id" | "invoice_payload" | "total_amount" | "currency">, userId: number, source: "update" | "ledger", now: number): boolean {
  return (
    statements(db).insert.run(payment.telegram_payment_charge_id, payment.invoice_payload, userId, payment.total_amount, payment.currency, source, now).changes > 0
  );
}

export interface StarsInboxDeps extends ReviewDeps {
  /** An order became paid: the pipeline takes it from there. */
  onPaid(orderId: string): void;
}

/** Applies every stored, unapplied Stars charge, each in its own savepoint with its "processed" mark. */
export function processStarsPayments(deps: StarsInboxDeps, limit = 200): number {
  const { unprocessed, markProcessed } = statements(deps.db);
  const rows = unprocessed.all(limit);
  deps.db.$client.transaction(() => {
    for (const row of rows) {
      deps.db.$client.transaction(() => {
        let outcome: { result: string; refund: boolean };
        try {
          outcome = applyStarsCharge(deps, row);
        } catch (error) {
          deps.logger.error({ err: error, order_id: row.order_id }, "could not apply a Stars payment");
          deps.alerts.raise({ kind: "stars_payment", orderId: row.order_id, text: `${row.order_id}: a Stars payment (${row.charge_id}) could not be applied: ${(error as Error).message}` });
          outcome = { result: `error: ${(error as Error).message}`, refund: false };
        }
        markProcessed.run(deps.now(), outcome.result, outcome.refund ? deps.now() : null, row.charge_id);
      })();
    }
  })();
  return rows.length;
}

function applyStarsCharge(deps: StarsInboxDeps, row: StarsPaymentRow): { result: string; refund: boolean } {
  const stars = formatMoney({ amount: row.amount, currency: row.currency });
  const order = getOrder(deps.db, row.order_id);
  if (!order || order.customerId !== row.user_id || order.paymentMethod !== "stars") {
    deps.alerts.raise({ kind: "stars_payment", text: `a Stars payment of ${stars} (${row.charge_id}) from user ${row.user_id} names no Stars order of theirs (${row.order_id}): returned automatically` });
    return { result: "unknown_order", refund: true };
  }
  if (order.telegramChargeId === row.charge_id) return { result: "duplicate", refund: false };
  if (order.telegramChargeId !== null) {
    // Two invoices of one order paid: the order keeps the first charge; the second goes back.
    deps.alerts.raise({ kind: "stars_payment", orderId: order.id, text: `${order.id}: a second Stars charge of ${stars} (${row.charge_id}); it is being returned` });
    return { result: "second_charge", refund: true };
  }
  const matches = row.currency === STARS && row.amount === order.amount;
  const detail = { charge_id: row.charge_id, total_amount: row.amount, currency: row.currency, source: row.source };
  const patch = { telegramChargeId: row.charge_id, paidAt: deps.now() };
  if (!matches) {
    sendToReview(deps, order, {
      cause: "payment_mismatch",
      reason: `a Stars payment of ${stars} arrived for an order of ${formatMoney({ amount: order.amount, currency: order.currency })}`,
      actor: "telegram",
      detail,
      patch,
      alert: { kind: "payment_mismatch" },
    });
    return { result: "payment_mismatch", refund: false };
  }
  if (order.status === "awaiting_payment") {
    transition(deps, { orderId: order.id, from: "awaiting_payment", to: "paid", cause: "telegram.successful_payment", actor: "telegram", detail, patch, also: (tx) => countPromoUse(tx, order, deps.logger) });
    deps.onPaid(order.id);
    return { result: "paid", refund: false };
  }
  if (order.status === "expired" || order.status === "cancelled") {
    // Paid after the shop closed the order (the invoice was still open): fulfilled if it still can be, refunded if not.
    const product = getProduct(deps.db, order.sku);
    if (product && isForSale(product)) {
      transition(deps, { orderId: order.id, from: order.status, to: "paid", cause: "paid_after_close:revived", actor: "telegram", detail, patch, also: (tx) => countPromoUse(tx, order, deps.logger) });
      deps.onPaid(order.id);
      return { result: "revived", refund: false };
    }
    transition(deps, { orderId: order.id, from: order.status, to: "refunding", cause: "paid_after_close:unavailable", actor: "telegram", detail, patch: { ...patch, lastError: "paid after the order closed; the product is no longer for sale" } });
    deps.alerts.raise({ kind: "stars_payment", orderId: order.id, text: `${order.id}: paid in Stars after it ${order.status === "expired" ? "expired" : "was cancelled"}; the product is no longer for sale, so it is refunded` });
    return { result: "refunding_unavailable", refund: false };
  }
  // Paid with no charge recorded: cannot happen for a Stars order; a person looks.
  deps.alerts.raise({ kind: "stars_payment", orderId: order.id, text: `${order.id}: a Stars charge ${row.charge_id} arrived for an order that is ${order.status}` });
  return { result: `unexpected:${order.status}`, refund: false };
}

export interface StarsRefundDeps {
  db: Db;
  api: Api;
  logger: Logger;
  alerts: Alerts;
  now: () => number;
  notify: ReviewDeps["notify"];
}

/** Attempts before a charge that will not go back is handed to a person. */
export const STARS_REFUND_ATTEMPTS = 5;

/** Returns the charges that must go back (second charges, unknown ones), with backoff; a person is told when Telegram keeps refusing. */
export async function refundDueStarsPayments(deps: StarsRefundDeps, limit = 20): Promise<number> {
  const { refundsDue, refunded, refundFailed } = statements(deps.db);
  const rows = refundsDue.all(deps.now(), limit);
  for (const row of rows) {
    try {
      await refundStars(deps.api, { customerId: row.user_id, telegramChargeId: row.charge_id });
      refunded.run(deps.now(), row.charge_id);
      deps.logger.info({ order_id: row.order_id, charge_id: row.charge_id }, "returned a Stars charge");
      const order = getOrder(deps.db, row.order_id);
      if (order && row.outcome === "second_charge") deps.notify({ ...order, amount: row.amount, currency: row.currency }, "stars-second-charge-refunded");
    } catch (error) {
      const message = (error as Error).message;
      const attempts = row.refund_attempts + 1;
      const giveUp = attempts >= STARS_REFUND_ATTEMPTS;
      refundFailed.run(giveUp ? null : deps.now() + 2 ** attempts * 5_000, message, row.charge_id);
      deps.logger.warn({ order_id: row.order_id, charge_id: row.charge_id, attempts, err: message }, "could not return a Stars charge");
      if (giveUp) {
        deps.alerts.raise({ kind: "stars_refund_failed", orderId: row.order_id, text: `${row.order_id}: Telegram refused to return the charge ${row.charge_id} ${attempts} times (${message})` });
      }
    }
  }
  return rows.length;
}

const LEDGER_POSITION = "stars_ledger_offset";

/**
 * Reads Telegram's ledger of Stars transactions from where it stopped last time (the list is chronological) and
 * stores every incoming invoice payment the shop has not seen: a successful_payment lost to a crash between
 * receipt and storage is found here and applied like any other. Returns how many were new.
 */
export async function reconcileStarsLedger(deps: { db: Db; api: Api; logger: Logger; now: () => number }): Promise<number> {
  const { readState, writeState } = statements(deps.db);
  let offset = Number(readState.get(LEDGER_POSITION)?.value ?? 0);
  let found = 0;
  for (;;) {
    const { transactions } = await deps.api.getStarTransactions({ offset, limit: 100 });
    deps.db.$client.transaction(() => {
      for (const transaction of transactions) {
        const source = transaction.source;
        if (source?.type !== "user" || source.transaction_type !== "invoice_payment" || !source.invoice_payload) continue;
        const stored = storeStarsPayment(
          deps.db,
          { telegram_payment_charge_id: transaction.id, invoice_payload: source.invoice_payload, total_amount: transaction.amount, currency: STARS },
          source.user.id,
          "ledger",
          deps.now(),
        );
        if (stored) {
          found += 1;
          deps.logger.warn({ order_id: source.invoice_payload, charge_id: transaction.id }, "found a Stars payment in Telegram's ledger that the shop had not received; applying it");
        }
      }
      offset += transactions.length;
      writeState.run(LEDGER_POSITION, String(offset), deps.now());
    })();
    if (transactions.length < 100) return found;
  }
}
