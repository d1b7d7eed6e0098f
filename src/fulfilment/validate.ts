// What a supplier answer, or a code an admin typed, must hold before anything reaches a customer: the sku and
// quantity we ordered, one plausible code per unit and no code twice, a PIN where the product needs one, every
// field within its length cap; for a top-up, a confirmation of a sane size.
import type { ProductSnapshot } from "../db/schema.js";
import type { SupplierOrder } from "../supplier/types.js";

export interface ValidItem {
  code: string;
  pin: string | null;
  serial: string | null;
  expiresAt: string | null;
}

export type Validation =
  | { ok: true; items: ValidItem[]; confirmation: Record<string, unknown> | null }
  | { ok: false; reason: string };

/**
 * Length caps (characters). No gift card code is shorter than 6 (the usual ones are 10–20) or longer than
 * a few dozen; the caps keep a delivery readable and a broken answer out of the customer's chat. A supplier's
 * redeem instructions can be long (they go as a file then); past 20,000 characters the answer is broken.
 */
export const LIMITS = {
  codeMin: 6,
  codeMax: 512,
  pin: 64,
  serial: 128,
  instructions: 20_000,
  /** The top-up confirmation, as JSON. */
  confirmation: 2_000,
} as const;

/** One unit as a supplier (or an admin) gives it. */
export interface RawItem {
  code?: string | null | undefined;
  pin?: string | null | undefined;
  serial?: string | null | undefined;
  instructions?: string | null | undefined;
  expires_at?: string | null | undefined;
}

// Control characters, or a run of blanks: a copy-paste accident, not a code.
const MALFORMED = /[\u0000-\u001f\u007f]|\s{2,}/;

/** The same code written with other dashes, blanks or case. */
function sameCode(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

/** Checks the codes of a code product: as many as units, each plausible, none twice. */
export function validateItems(product: ProductSnapshot, quantity: number, raw: readonly RawItem[]): { ok: true; items: ValidItem[] } | { ok: false; reason: string } {
  if (raw.length !== quantity) return { ok: false, reason: `${raw.length} item(s) for a quantity of ${quantity}` };
  const items: ValidItem[] = [];
  const seen = new Set<string>();
  for (const [index, item] of raw.entries()) {
    const which = `item ${index + 1}`;
    const code = item.code?.trim() ?? "";
    if (code === "") return { ok: false, reason: `${which} has an empty code` };
    if (code.length < LIMITS.codeMin) return { ok: false, reason: `${which} has an implausibly short code (${code.length} characters)` };
    if (code.length > LIMITS.codeMax) return { ok: false, reason: `${which} has an implausibly long code (${code.length} characters)` };
    if (MALFORMED.test(code)) return { ok: false, reason: `${which} has a malformed code (control characters or repeated blanks)` };
    if (seen.has(sameCode(code))) return { ok: false, reason: `${which} repeats a code already in this answer` };
    seen.add(sameCode(code));
    const pin = item.pin?.trim() || null;
    if (product.requiresPin && !pin) return { ok: false, reason: `${which} has no PIN and the product needs one` };
    if (pin !== null && (pin.length > LIMITS.pin || MALFORMED.test(pin))) return { ok: false, reason: `${which} has a malformed PIN (over ${LIMITS.pin} characters or control characters)` };
    const serial = item.serial?.trim() || null;
    if (serial !== null && (serial.length > LIMITS.serial || MALFORMED.test(serial))) return { ok: false, reason: `${which} has a malformed serial (over ${LIMITS.serial} characters or control characters)` };
    if ((item.instructions?.length ?? 0) > LIMITS.instructions) return { ok: false, reason: `${which} has instructions over ${LIMITS.instructions} characters` };
    items.push({ code, pin, serial, expiresAt: item.expires_at ?? null });
  }
  return { ok: true, items };
}

/** A supplier's `completed` answer, checked against what we ordered (`sku` is what was sent, the product's by default). */
export function validateCompletedOrder(product: ProductSnapshot, quantity: number, order: SupplierOrder, sku: string = product.sku): Validation {
  if (order.status !== "completed") return { ok: false, reason: `status is ${order.status}, not completed` };
  if (order.sku !== sku) return { ok: false, reason: `the answer is for sku ${order.sku}, not ${sku}` };
  if (order.quantity !== quantity) return { ok: false, reason: `the answer is for a quantity of ${order.quantity}, not ${quantity}` };
  if (product.kind === "topup") {
    if (!order.confirmation || Object.keys(order.confirmation).length === 0) {
      return { ok: false, reason: "completed top-up without a confirmation" };
    }
    if (JSON.stringify(order.confirmation).length > LIMITS.confirmation) return { ok: false, reason: `the top-up confirmation is over ${LIMITS.confirmation} characters` };
    return { ok: true, items: [], confirmation: order.confirmation };
  }
  const checked = validateItems(product, quantity, order.items);
  if (!checked.ok) return checked;
  return { ok: true, items: checked.items, confirmation: order.confirmation ?? null };
}
