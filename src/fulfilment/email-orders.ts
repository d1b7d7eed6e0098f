// Email as an order's backup channel (EMAIL_DELIVERY): which address an order's mail goes to (its own Checkout
// email, else the customer's confirmed `/email`), the email queued when Telegram cannot deliver a code (fallback),
// with every delivery (always), for a refund notice the chat refused, or by an admin (/resend <id> email); and
// what the SMTP server's answer means for the order: a code Telegram could not deliver, once the server took it,
// makes the order `delivered` by email; an email given up leaves it `delivery_failed` and tells ops.
import type { Translate } from "../bot/i18n.js";
import { confirmedEmail } from "../customers/email.js";
import { customerLanguage } from "../customers/notify.js";
import type { Db } from "../db/connection.js";
import { maskEmailAddress, orderEmailContext } from "../email/address.js";
import { countOrderEmails, emailedButUndelivered, emailsOfOrder, insertEmail, recipientOf, type EmailRow } from "../email/outbox.js";
import type { Sealer } from "../lib/crypto.js";
import type { Logger } from "../logger.js";
import type { Alerts } from "../ops/alerts.js";
import { codesWithheld } from "../orders/hold.js";
import { getOrder } from "../orders/repository.js";
import { recordOrderNote, transition, type OrderRow } from "../orders/state-machine.js";
import { noticeEmail, orderEmail } from "./email-message.js";

/** How the shop uses email, and how to tell the sender an email is waiting. */
export interface EmailChannel {
  /** "off" without SMTP_URL or with EMAIL_DELIVERY=off: nothing is mailed, /email and /resend … email say so. */
  mode: "off" | "fallback" | "always";
  shopName: string;
  /** An email was queued: the sender looks now (after the caller's transaction, on a timer). */
  wake(): void;
}

export interface EmailOrderDeps {
  db: Db;
  logger: Logger;
  now: () => number;
  sealer: Sealer;
  t: Translate;
  supportContact: string;
  alerts: Alerts;
  email: EmailChannel;
}

/** Emails that carry an order's codes: once the server took one, an order Telegram could not deliver is delivered. */
function carriesCodes(purpose: string): boolean {
  return purpose === "delivery" || purpose.startsWith("resend-");
}

/** Where an order's emails go: its own Checkout email first, else the customer's address confirmed with /email. */
export function orderEmailAddress(deps: Pick<EmailOrderDeps, "db" | "sealer">, order: Pick<OrderRow, "id" | "customerId" | "emailEnc">): { address: string; source: "checkout" | "customer" } | undefined {
  if (order.emailEnc) {
    try {
      return { address: deps.sealer.open(order.emailEnc, orderEmailContext(order.id)), source: "checkout" };
    } catch {
      // unreadable (a changed key): the customer's own address may still serve
    }
  }
  const confirmed = confirmedEmail(deps, order.customerId);
  return confirmed ? { address: confirmed.address, source: "customer" } : undefined;
}

/**
 * Queues the email with an order's codes for `purpose`, in the caller's transaction when one is open. Returns the
 * masked address (and whether a row was written: an order has one email per purpose), or undefined when email is
 * off or no address is known.
 */
export function queueOrderEmail(deps: EmailOrderDeps, order: OrderRow, purpose: string): { queued: boolean; to: string } | undefined {
  if (deps.email.mode === "off") return undefined;
  const found = orderEmailAddress(deps, order);
  if (!found) return undefined;
  const locale = customerLanguage(deps.db, order.customerId);
  const message = orderEmail({ ...deps, shopName: deps.email.shopName }, order, locale, purpose);
  const queued = insertEmail(deps.db, deps.sealer, { orderId: order.id, customerId: order.customerId, purpose, to: found.address, message }, deps.now());
  if (queued) deps.email.wake();
  return { queued, to: maskEmailAddress(found.address) };
}

/**
 * Telegram cannot deliver this order's codes for good: they go by email when an address is known (queued in the
 * transaction that moves the order to `delivery_failed`). Returns what the ops alert adds.
 */
export function emailInsteadOfTelegram(deps: EmailOrderDeps, order: OrderRow): string {
  if (deps.email.mode === "off") return "";
  // Held (refunded in Stripe, disputed) while the message was on its way: the code must not leave by another road.
  const held = getOrder(deps.db, order.id)?.holdReason;
  if (held) return `; held (${held}): the code is not emailed either`;
  const queued = queueOrderEmail(deps, order, "delivery");
  if (!queued) return "; no email address is known for this customer (none at Checkout, none confirmed with /email)";
  return `; the code goes by email to ${queued.to}`;
}

/** EMAIL_DELIVERY=always: a receipt with the code, queued with the move to `delivered`. */
export function queueReceipt(deps: EmailOrderDeps, order: OrderRow): void {
  if (deps.email.mode === "always") queueOrderEmail(deps, order, "receipt");
}

/** Notices that are worth an email when the chat refuses them: the customer must know their money went back. */
export const REFUND_NOTICES: ReadonlySet<string> = new Set(["refunded-customer", "refunded-customer-stars", "refunded-before-delivery", "stars-second-charge-refunded"]);

/** A refund notice Telegram refused for good goes by email (purpose `refund`), when an address is known. */
export function queueRefundNotice(deps: EmailOrderDeps, order: Pick<OrderRow, "id" | "customerId">, key: string, variables: Record<string, string | number>): boolean {
  if (deps.email.mode === "off" || !REFUND_NOTICES.has(key)) return false;
  const full = getOrder(deps.db, order.id);
  const found = full ? orderEmailAddress(deps, full) : undefined;
  if (!full || !found) return false;
  const locale = customerLanguage(deps.db, order.customerId);
  const message = noticeEmail({ ...deps, shopName: deps.email.shopName }, order, locale, key, variables);
  const queued = insertEmail(deps.db, deps.sealer, { orderId: order.id, customerId: order.customerId, purpose: "refund", to: found.address, message }, deps.now());
  if (queued) {
    deps.logger.info({ order_id: order.id, key }, "a refund notice Telegram refused goes by email");
    deps.email.wake();
  }
  return queued;
}

/**
 * The SMTP server took an email (in the transaction that marks it sent). Codes for an order Telegram could not
 * deliver make it `delivered`, by email; anything else is a note in the order's log.
 */
export function onEmailSent(deps: Pick<EmailOrderDeps, "db" | "logger" | "now">, row: EmailRow): void {
  if (!row.orderId) return; // a confirmation code for /email
  const order = getOrder(deps.db, row.orderId);
  if (!order) return;
  const detail = { purpose: row.purpose, email_id: row.id, attempts: row.attempts };
  if (carriesCodes(row.purpose) && order.status === "delivery_failed") {
    transition(deps, {
      orderId: order.id,
      from: "delivery_failed",
      to: "delivered",
      cause: "sent_by_email",
      actor: "email",
      detail,
      patch: { deliveryChannel: "email", deliveredAt: deps.now() },
    });
    return;
  }
  recordOrderNote(deps, { orderId: order.id, status: order.status, cause: "email_sent", actor: "email", detail });
}

/**
 * Orders whose codes' email was sent but which are still `delivery_failed` (the move to `delivered` failed in its
 * savepoint: the database refused it), moved now. The sender runs this at each look at the outbox.
 */
export function deliverEmailedOrders(deps: Pick<EmailOrderDeps, "db" | "logger" | "now">): void {
  for (const orderId of emailedButUndelivered(deps.db)) {
    const order = getOrder(deps.db, orderId);
    if (order?.status !== "delivery_failed") continue;
    try {
      transition(deps, { orderId, from: "delivery_failed", to: "delivered", cause: "sent_by_email", actor: "email", detail: { late: true }, patch: { deliveryChannel: "email", deliveredAt: deps.now() } });
    } catch (error) {
      deps.logger.error({ err: error, order_id: orderId }, "an order whose codes went by email could not be marked delivered; trying again later");
    }
  }
}

/**
 * Why an email with codes that never reached the customer (`delivery_failed`) must not be handed to the server
 * now (the sender's `withheld`), or undefined. A delivered order's codes are already in the customer's hands.
 */
export function orderEmailWithheld(deps: Pick<EmailOrderDeps, "db">, row: Pick<EmailRow, "orderId" | "purpose">): string | undefined {
  if (!row.orderId || !carriesCodes(row.purpose)) return undefined;
  const order = getOrder(deps.db, row.orderId);
  return order?.status === "delivery_failed" ? codesWithheld(deps.db, order) : undefined;
}

/** An email was given up (in the transaction that marks it so): ops are told, and the order's log says it. */
export function onEmailGivenUp(deps: Pick<EmailOrderDeps, "db" | "logger" | "now" | "sealer" | "alerts">, row: EmailRow, reason: string): void {
  const to = recipientOf(deps.db, deps.sealer, row);
  const masked = to ? maskEmailAddress(to) : "the customer";
  if (!row.orderId) {
    deps.alerts.raise({ kind: "email_failed", text: `customer ${row.customerId}: the confirmation code for /email to ${masked} was given up (${reason})` });
    return;
  }
  const order = getOrder(deps.db, row.orderId);
  const kept = order && carriesCodes(row.purpose) && order.status === "delivery_failed" && !reason.startsWith("withheld") ? `; the code is kept: /resend ${order.id} when the customer is back, or /resend ${order.id} email` : "";
  deps.alerts.raise({ kind: "email_failed", orderId: row.orderId, text: `${row.orderId}: the ${row.purpose} email to ${masked} was given up (${reason})${kept}` });
  if (order) recordOrderNote(deps, { orderId: order.id, status: order.status, cause: "email_given_up", actor: "email", detail: { purpose: row.purpose, email_id: row.id, error: reason } });
}

export type EmailResendCheck = { ok: true; order: OrderRow; to: string } | { ok: false; message: string };

/** Whether an order's codes can be emailed again now (asked before the admin confirms, and again when they do). */
export function checkEmailResend(deps: Pick<EmailOrderDeps, "db" | "sealer" | "email">, orderId: string): EmailResendCheck {
  const order = getOrder(deps.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (order.status !== "delivered" && order.status !== "delivery_failed") {
    return { ok: false, message: `${orderId} is ${order.status}; only delivered or undeliverable orders have codes to email.` };
  }
  if (deps.email.mode === "off") return { ok: false, message: "Email is off (SMTP_URL is not set, or EMAIL_DELIVERY=off): nothing can be emailed." };
  const withheld = order.status === "delivery_failed" ? codesWithheld(deps.db, order) : undefined;
  if (withheld) return { ok: false, message: `${orderId}: the codes are not emailed: ${withheld}.` };
  const found = orderEmailAddress(deps, order);
  if (!found) return { ok: false, message: `${orderId}: no email address is known (none at Checkout, and the customer has not confirmed one with /email).` };
  return { ok: true, order, to: maskEmailAddress(found.address) };
}

/** /resend <id> email: a fresh email with the codes (purpose resend-<n>); a `delivery_failed` order is delivered once it is taken. */
export function resendByEmail(deps: EmailOrderDeps, orderId: string, adminId: number): { ok: boolean; message: string } {
  const checked = checkEmailResend(deps, orderId);
  if (!checked.ok) return checked;
  const purpose = `resend-${countOrderEmails(deps.db, orderId, "resend-") + 1}`;
  const queued = deps.db.transaction(() => {
    const result = queueOrderEmail(deps, checked.order, purpose);
    if (result?.queued) recordOrderNote(deps, { orderId, status: checked.order.status, cause: "email_resend_queued", actor: `admin:${adminId}`, detail: { purpose } });
    return result;
  });
  if (!queued?.queued) return { ok: false, message: `${orderId}: the email could not be queued; try again.` };
  return { ok: true, message: `${orderId}: the codes are queued by email to ${queued.to} (${purpose}); /order ${orderId} shows when the mail server takes them.` };
}

function at(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** /order's lines on email: how the order was delivered, its address (masked) and each email's state. */
export function describeOrderEmail(deps: Pick<EmailOrderDeps, "db" | "sealer" | "email">, order: OrderRow): string[] {
  const lines: string[] = [];
  if (order.status === "delivered") lines.push(`Delivered by: ${order.deliveryChannel ?? "telegram"}`);
  const found = orderEmailAddress(deps, order);
  const rows = emailsOfOrder(deps.db, order.id);
  if (deps.email.mode === "off" && rows.length === 0) return lines;
  lines.push(found ? `Email: ${maskEmailAddress(found.address)} (${found.source === "checkout" ? "from Checkout" : "confirmed with /email"})` : "Email: none known");
  for (const row of rows) {
    const state =
      row.status === "sent"
        ? `sent ${at(row.sentAt!)}`
        : row.status === "given_up"
          ? `given up ${at(row.givenUpAt!)} (${row.lastError ?? "?"})`
          : row.status === "sending"
            ? `sending (attempt ${row.attempts})`
            : `queued${row.attempts > 0 ? `, attempt ${row.attempts + 1} at ${at(row.nextAttemptAt ?? 0)}; last: ${row.lastError ?? "?"}` : ` ${at(row.createdAt)}`}`;
    lines.push(`✉️ ${row.purpose}: ${state}`);
  }
  return lines;
}
