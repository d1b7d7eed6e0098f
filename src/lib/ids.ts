// Short, URL-safe ids for orders: they go into Telegram deep links (64 characters of A-Za-z0-9_- at most).
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U to misread

export type IdGenerator = () => string;

/** "ORD-7K3M9Q2X": 40 random bits, enough for a shop's lifetime of orders with a unique check on insert. */
export function createOrderId(): string {
  const bytes = randomBytes(8);
  let id = "";
  for (let i = 0; i < 8; i++) id += ALPHABET[bytes[i]! & 31];
  return `ORD-${id}`;
}

export const ORDER_ID_PATTERN = /^ORD-[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * The reference an order's attempt at its n-th source sends to the supplier: the order id for the first
 * source (as always), "<order id>-2", "-3"… for a later one, so that no two attempts that may create an order
 * share an idempotency handle.
 */
export function attemptReference(orderId: string, sourceIndex: number): string {
  return sourceIndex === 0 ? orderId : `${orderId}-${sourceIndex + 1}`;
}

/** The order a supplier reference belongs to (the reference itself when it has no attempt suffix). */
export function orderIdOfReference(reference: string): string {
  return /^(ORD-[0-9A-Z]{8})-\d{1,3}$/.exec(reference)?.[1] ?? reference;
}
