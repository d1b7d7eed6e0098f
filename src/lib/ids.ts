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
