// Email addresses: read from what a customer types or Stripe sends (zod's email check), and masked wherever a
// person reads one (a***@example.com): an address is personal, so logs, alerts and /order never show it whole.
import { z } from "zod";

const emailSchema = z.email().max(254);

/** The address as the shop keeps it (trimmed, NFKC, the domain lower-cased), or undefined when it is not one. */
export function parseEmailAddress(input: string | null | undefined): string | undefined {
  if (typeof input !== "string") return undefined;
  const trimmed = input.normalize("NFKC").trim();
  const parsed = emailSchema.safeParse(trimmed);
  if (!parsed.success) return undefined;
  const at = parsed.data.lastIndexOf("@");
  return `${parsed.data.slice(0, at)}@${parsed.data.slice(at + 1).toLowerCase()}`;
}

/** "alice@example.com" → "a***@example.com". */
export function maskEmailAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "***";
  return `${Array.from(address.slice(0, at))[0]}***${address.slice(at)}`;
}

/** Masks every address in a text (an SMTP server's reply may quote the recipient). */
export function maskAddressesIn(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[A-Za-z]{2,}/g, (found) => maskEmailAddress(found));
}

/** An order's Checkout email is sealed bound to the order (a sealed address moved to another order does not open). */
export function orderEmailContext(orderId: string): string {
  return `email:${orderId}`;
}
