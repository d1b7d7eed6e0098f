// What a supplier answer must hold before anything reaches a customer: one non-empty code per unit,
// a PIN where the product needs one; for a top-up, a confirmation.
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

const MAX_CODE_LENGTH = 512;

export function validateCompletedOrder(product: ProductSnapshot, quantity: number, order: SupplierOrder): Validation {
  if (order.status !== "completed") return { ok: false, reason: `status is ${order.status}, not completed` };
  if (product.kind === "topup") {
    if (!order.confirmation || Object.keys(order.confirmation).length === 0) {
      return { ok: false, reason: "completed top-up without a confirmation" };
    }
    return { ok: true, items: [], confirmation: order.confirmation };
  }
  if (order.items.length !== quantity) {
    return { ok: false, reason: `${order.items.length} item(s) for a quantity of ${quantity}` };
  }
  const items: ValidItem[] = [];
  for (const [index, item] of order.items.entries()) {
    const code = item.code?.trim() ?? "";
    if (code === "") return { ok: false, reason: `item ${index + 1} has an empty code` };
    if (code.length > MAX_CODE_LENGTH) return { ok: false, reason: `item ${index + 1} has an implausibly long code` };
    const pin = item.pin?.trim() || null;
    if (product.requiresPin && !pin) return { ok: false, reason: `item ${index + 1} has no PIN and the product needs one` };
    items.push({ code, pin, serial: item.serial?.trim() || null, expiresAt: item.expires_at ?? null });
  }
  return { ok: true, items, confirmation: order.confirmation ?? null };
}
