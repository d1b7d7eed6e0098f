// A customer's own email address for codes Telegram cannot deliver (`/email`, for Stars buyers and anyone
// else): the address is confirmed only after the customer types back a 6-digit code mailed to it, so a code is
// never mailed to an address its owner did not prove. Address and code are sealed at rest; tries are limited.
import { randomInt, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Translate } from "../bot/i18n.js";
import { perDatabase, type Db } from "../db/connection.js";
import { customerEmails } from "../db/schema.js";
import { emailFromBlocks } from "../email/layout.js";
import { confirmationsSince, insertEmail, type EmailMessage } from "../email/outbox.js";
import type { Sealer } from "../lib/crypto.js";
import { escapeHtml } from "../lib/html.js";
import { plainText } from "../lib/telegram-text.js";

/** A code is good for this long after it was mailed. */
export const CONFIRMATION_TTL_MS = 15 * 60_000;
/** Wrong codes allowed for one address before the customer must start again. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes mailed to one customer in 24 hours, and the least time between two. */
export const MAX_CODES_PER_DAY = 5;
export const CODE_RESEND_GAP_MS = 60_000;
/** The bot waits this long for the address or the code; after that, what the customer types is not taken for one. */
export const AWAITING_TTL_MS = 30 * 60_000;

export type CustomerEmailRow = typeof customerEmails.$inferSelect;

export interface CustomerEmailDeps {
  db: Db;
  sealer: Sealer;
  now: () => number;
}

const addressContext = (customerId: number) => `email:customer:${customerId}`;
const codeContext = (customerId: number) => `email-code:customer:${customerId}`;

/** Prepared once: the bot reads it for every text a customer sends (is it an address or a code we wait for?). */
const byCustomer = perDatabase((db) => db.select().from(customerEmails).where(eq(customerEmails.customerId, sql.placeholder("id"))).prepare());

function rowOf(db: Db, customerId: number): CustomerEmailRow | undefined {
  return byCustomer(db).get({ id: customerId });
}

function write(db: Db, customerId: number, values: Partial<Omit<CustomerEmailRow, "customerId">>, now: number): void {
  db.insert(customerEmails)
    .values({ customerId, ...values, updatedAt: now })
    .onConflictDoUpdate({ target: customerEmails.customerId, set: { ...values, updatedAt: now } })
    .run();
}

/** The customer's confirmed address, or undefined. */
export function confirmedEmail(deps: Pick<CustomerEmailDeps, "db" | "sealer">, customerId: number): { address: string; confirmedAt: number } | undefined {
  const row = rowOf(deps.db, customerId);
  if (!row?.addressEnc || row.confirmedAt === null) return undefined;
  try {
    return { address: deps.sealer.open(row.addressEnc, addressContext(customerId)), confirmedAt: row.confirmedAt };
  } catch {
    return undefined;
  }
}

/** What the bot waits for from this customer (the address, or the code), when it still waits. */
export function awaitedFrom(deps: Pick<CustomerEmailDeps, "db" | "now">, customerId: number): "address" | "code" | undefined {
  const row = rowOf(deps.db, customerId);
  if (!row?.awaiting || row.awaitingSince === null || deps.now() - row.awaitingSince > AWAITING_TTL_MS) return undefined;
  return row.awaiting;
}

/** The bot asked for the address. */
export function awaitAddress(deps: Pick<CustomerEmailDeps, "db" | "now">, customerId: number): void {
  write(deps.db, customerId, { awaiting: "address", awaitingSince: deps.now() }, deps.now());
}

/** The customer stopped (/cancel, another command): nothing typed next is taken for an address or a code. */
export function stopAwaiting(deps: Pick<CustomerEmailDeps, "db" | "now">, customerId: number): void {
  if (rowOf(deps.db, customerId)?.awaiting) write(deps.db, customerId, { awaiting: null, awaitingSince: null }, deps.now());
}

export type ConfirmationRequest = { ok: true } | { ok: false; reason: "too_soon" | "too_many" };

/**
 * Mails a new 6-digit code to `address` and waits for it: the code and the pending address are written, and the
 * email queued, in one transaction. Refused when a code went out less than a minute ago, or 5 in 24 hours.
 */
export function requestConfirmation(
  deps: CustomerEmailDeps,
  customerId: number,
  address: string,
  message: (code: string) => EmailMessage,
): ConfirmationRequest {
  const now = deps.now();
  const row = rowOf(deps.db, customerId);
  if (row?.codeSentAt && now - row.codeSentAt < CODE_RESEND_GAP_MS) return { ok: false, reason: "too_soon" };
  if (confirmationsSince(deps.db, customerId, now - 86_400_000) >= MAX_CODES_PER_DAY) return { ok: false, reason: "too_many" };
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  deps.db.transaction(() => {
    write(
      deps.db,
      customerId,
      {
        pendingEnc: deps.sealer.seal(address, addressContext(customerId)),
        codeEnc: deps.sealer.seal(code, codeContext(customerId)),
        codeSentAt: now,
        codeAttempts: 0,
        awaiting: "code",
        awaitingSince: now,
      },
      now,
    );
    insertEmail(deps.db, deps.sealer, { orderId: null, customerId, purpose: "confirm", to: address, message: message(code) }, now);
  });
  return { ok: true };
}

export type CodeCheck =
  | { ok: true; address: string }
  | { ok: false; reason: "wrong"; left: number }
  | { ok: false; reason: "expired" | "too_many" | "none" };

/** The customer typed a code: the pending address is confirmed when it is the one mailed, in time. */
export function checkConfirmationCode(deps: CustomerEmailDeps, customerId: number, typed: string): CodeCheck {
  const now = deps.now();
  const row = rowOf(deps.db, customerId);
  if (!row?.pendingEnc || !row.codeEnc || row.codeSentAt === null) return { ok: false, reason: "none" };
  const forget = { pendingEnc: null, codeEnc: null, codeAttempts: 0, awaiting: null, awaitingSince: null };
  if (now - row.codeSentAt > CONFIRMATION_TTL_MS) {
    write(deps.db, customerId, forget, now);
    return { ok: false, reason: "expired" };
  }
  const expected = Buffer.from(deps.sealer.open(row.codeEnc, codeContext(customerId)));
  const given = Buffer.from(typed.replace(/\s+/g, ""));
  if (given.length === expected.length && timingSafeEqual(given, expected)) {
    write(deps.db, customerId, { ...forget, addressEnc: row.pendingEnc, confirmedAt: now }, now);
    return { ok: true, address: deps.sealer.open(row.pendingEnc, addressContext(customerId)) };
  }
  const attempts = row.codeAttempts + 1;
  if (attempts >= MAX_CODE_ATTEMPTS) {
    write(deps.db, customerId, forget, now);
    return { ok: false, reason: "too_many" };
  }
  write(deps.db, customerId, { codeAttempts: attempts }, now);
  return { ok: false, reason: "wrong", left: MAX_CODE_ATTEMPTS - attempts };
}

/** Forgets the customer's address (confirmed or pending). */
export function removeEmail(deps: Pick<CustomerEmailDeps, "db" | "now">, customerId: number): void {
  write(deps.db, customerId, { addressEnc: null, confirmedAt: null, pendingEnc: null, codeEnc: null, codeAttempts: 0, awaiting: null, awaitingSince: null }, deps.now());
}

/** The confirmation email, in the customer's language: the code, what to do with it, and that it can be ignored. */
export function confirmationEmail(deps: { t: Translate; shopName: string; supportContact: string }, locale: string, code: string): EmailMessage {
  const shop = escapeHtml(deps.shopName);
  return emailFromBlocks({
    locale,
    subject: plainText(deps.t(locale, "email-subject-confirm", { shop })),
    blocks: [deps.t(locale, "email-confirm-body", { shop, code, minutes: CONFIRMATION_TTL_MS / 60_000 })],
    footer: plainText(deps.t(locale, "email-footer", { shop, support: escapeHtml(deps.supportContact) })),
  });
}
