// The email outbox in SQLite (table email_outbox): an email is a row from the moment it is decided, in the
// transaction of what decided it, until the SMTP server took it or it was given up. One row per order and purpose.
// Recipient and message are sealed (lib/crypto.ts); the message is wiped once the row is settled, so a code mailed
// rests in the database no longer than it takes to send. This module reads and writes rows; email/sender.ts sends.
import { perDatabase, type Db } from "../db/connection.js";
import type { Sealer } from "../lib/crypto.js";

/** What the customer receives: a subject, a plain-text part and an HTML part. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export type EmailStatus = "queued" | "sending" | "sent" | "given_up";

export interface EmailRow {
  id: number;
  orderId: string | null;
  customerId: number;
  purpose: string;
  status: EmailStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  givenUpAt: number | null;
}

export interface NewEmail {
  /** The order it is about; null for a customer's own mail (the `/email` confirmation code). */
  orderId: string | null;
  customerId: number;
  /** delivery, receipt, refund, resend-<n>, confirm. */
  purpose: string;
  to: string;
  message: EmailMessage;
}

interface Raw {
  id: number;
  order_id: string | null;
  customer_id: number;
  purpose: string;
  to_enc: string;
  body_enc: string | null;
  status: EmailStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  given_up_at: number | null;
}

const COLUMNS = "id, order_id, customer_id, purpose, to_enc, body_enc, status, attempts, next_attempt_at, last_error, created_at, sent_at, given_up_at";

const statements = perDatabase((db: Db) => {
  const c = db.$client;
  return {
    // The unique (order_id, purpose) index makes a second copy of an order's email a no-op (a NULL order never collides).
    insert: c.prepare<[string | null, number, string, string, string, number, number]>(
      "INSERT INTO email_outbox (order_id, customer_id, purpose, to_enc, body_enc, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING",
    ),
    byId: c.prepare<[number], Raw>(`SELECT ${COLUMNS} FROM email_outbox WHERE id = ?`),
    due: c.prepare<[number, number], Raw>(`SELECT ${COLUMNS} FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
    nextDue: c.prepare<[], { at: number | null }>("SELECT min(next_attempt_at) AS at FROM email_outbox WHERE status = 'queued'"),
    claim: c.prepare<[number, number, number]>("UPDATE email_outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'queued' AND next_attempt_at <= ?"),
    sent: c.prepare<[number, number]>("UPDATE email_outbox SET status = 'sent', sent_at = ?, body_enc = NULL, last_error = NULL WHERE id = ? AND status = 'sending'"),
    retry: c.prepare<[number, string, number]>("UPDATE email_outbox SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'sending'"),
    givenUp: c.prepare<[number, string, number]>("UPDATE email_outbox SET status = 'given_up', given_up_at = ?, last_error = ?, body_enc = NULL WHERE id = ? AND status = 'sending'"),
    requeue: c.prepare<[number]>("UPDATE email_outbox SET status = 'queued', next_attempt_at = ? WHERE status = 'sending'"),
    ofOrder: c.prepare<[string], Raw>(`SELECT ${COLUMNS} FROM email_outbox WHERE order_id = ? ORDER BY id`),
    purposes: c.prepare<[string, string], { n: number }>("SELECT count(*) AS n FROM email_outbox WHERE order_id = ? AND purpose LIKE ?"),
    // Orders still undelivered although an email with their codes was sent (the order's side of that commit failed).
    emailedUndelivered: c.prepare<[], { order_id: string }>(
      "SELECT DISTINCT e.order_id FROM email_outbox e JOIN orders o ON o.id = e.order_id WHERE o.status = 'delivery_failed' AND e.status = 'sent' AND (e.purpose = 'delivery' OR e.purpose LIKE 'resend-%') LIMIT 100",
    ),
    confirmationsSince: c.prepare<[number, number], { n: number }>("SELECT count(*) AS n FROM email_outbox WHERE customer_id = ? AND order_id IS NULL AND purpose = 'confirm' AND created_at >= ?"),
  };
});

function rowOf(raw: Raw): EmailRow {
  return {
    id: raw.id,
    orderId: raw.order_id,
    customerId: raw.customer_id,
    purpose: raw.purpose,
    status: raw.status,
    attempts: raw.attempts,
    nextAttemptAt: raw.next_attempt_at,
    lastError: raw.last_error,
    createdAt: raw.created_at,
    sentAt: raw.sent_at,
    givenUpAt: raw.given_up_at,
  };
}

/** What the row's sealed fields are bound to: a sealed message copied to another row does not open. */
function sealContext(row: { orderId: string | null; customerId: number; purpose: string }): string {
  return `email:${row.orderId ?? `customer:${row.customerId}`}:${row.purpose}`;
}

/**
 * Queues an email; joins the caller's transaction when one is open on this connection, so the email commits with
 * what decided it. False when the order already has an email for this purpose (nothing is written then).
 */
export function insertEmail(db: Db, sealer: Sealer, email: NewEmail, now: number): boolean {
  const context = sealContext(email);
  const body = sealer.seal(JSON.stringify(email.message), context);
  return statements(db).insert.run(email.orderId, email.customerId, email.purpose, sealer.seal(email.to, context), body, now, now).changes > 0;
}

export function getEmail(db: Db, id: number): EmailRow | undefined {
  const raw = statements(db).byId.get(id);
  return raw ? rowOf(raw) : undefined;
}

/** Queued rows whose time has come, oldest first. */
export function dueEmails(db: Db, now: number, limit: number): EmailRow[] {
  return statements(db).due.all(now, limit).map(rowOf);
}

/** When the soonest queued email is due (undefined: none is queued). */
export function nextEmailDueAt(db: Db): number | undefined {
  return statements(db).nextDue.get()?.at ?? undefined;
}

/** Takes a due row for sending (one attempt more); false when another pass took it or it is not due. */
export function claimEmail(db: Db, id: number, now: number): boolean {
  return statements(db).claim.run(now, id, now).changes > 0;
}

/** The recipient and the message of a claimed row; throws when they do not decrypt (a changed key). */
export function openEmail(db: Db, sealer: Sealer, row: EmailRow): { to: string; message: EmailMessage } {
  const raw = statements(db).byId.get(row.id);
  if (!raw?.body_enc) throw new Error("the email's message is gone (already settled)");
  const context = sealContext(row);
  return { to: sealer.open(raw.to_enc, context), message: JSON.parse(sealer.open(raw.body_enc, context)) as EmailMessage };
}

/** The recipient of any row (for /order, masked there). */
export function recipientOf(db: Db, sealer: Sealer, row: EmailRow): string | undefined {
  const raw = statements(db).byId.get(row.id);
  try {
    return raw ? sealer.open(raw.to_enc, sealContext(row)) : undefined;
  } catch {
    return undefined;
  }
}

export function markEmailSent(db: Db, id: number, now: number): boolean {
  return statements(db).sent.run(now, id).changes > 0;
}

export function rescheduleEmail(db: Db, id: number, nextAttemptAt: number, error: string): boolean {
  return statements(db).retry.run(nextAttemptAt, error, id).changes > 0;
}

export function giveUpEmail(db: Db, id: number, now: number, error: string): boolean {
  return statements(db).givenUp.run(now, error, id).changes > 0;
}

/**
 * Rows a crashed process had claimed go back to the queue, due now. The crash came before their send, during it,
 * or after the server took it and before the commit: the last case sends that email a second time (the only
 * duplicate the outbox allows). Only the process holding the database lease runs this, before it sends anything.
 */
export function requeueInterruptedEmails(db: Db, now: number): number {
  return statements(db).requeue.run(now).changes;
}

export function emailsOfOrder(db: Db, orderId: string): EmailRow[] {
  return statements(db).ofOrder.all(orderId).map(rowOf);
}

/** How many of an order's emails have a purpose starting with `prefix` (resend-1, resend-2, …). */
export function countOrderEmails(db: Db, orderId: string, prefix: string): number {
  return statements(db).purposes.get(orderId, `${prefix}%`)?.n ?? 0;
}

/** Orders in `delivery_failed` although an email with their codes was sent. */
export function emailedButUndelivered(db: Db): string[] {
  return statements(db).emailedUndelivered.all().map((row) => row.order_id);
}

/** Confirmation codes mailed to a customer since `since` (a limit on how many one customer may ask for). */
export function confirmationsSince(db: Db, customerId: number, since: number): number {
  return statements(db).confirmationsSince.get(customerId, since)?.n ?? 0;
}
