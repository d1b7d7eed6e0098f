// Orders as CSV (/export): one row per order created in a range of UTC days, read in batches (keyset pagination, so
// a long export never holds the database or all its rows at once) and written with csv-stringify. Never a code, a
// PIN or a card detail: only what accounting needs. A cell that a spreadsheet would run as a formula (= + - @, tab,
// carriage return) is prefixed with ' (CSV injection).
import { stringify } from "csv-stringify/sync";
import { and, asc, count, eq, gt, gte, lt, or } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { orders } from "../db/schema.js";
import { toDecimal } from "../lib/money.js";

export const EXPORT_COLUMNS = [
  "order_id",
  "created_at",
  "paid_at",
  "delivered_at",
  "customer_id",
  "sku",
  "product",
  "quantity",
  "amount",
  "currency",
  "original_amount",
  "promo_code",
  "payment_method",
  "status",
  "refunded_amount",
  "supplier_reference",
  "supplier_order_id",
] as const;

const BATCH = 500;

/** ISO 8601 in UTC ("2026-03-01T12:00:00.000Z"), or empty. */
function iso(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString();
}

/** A cell a spreadsheet would read as a formula gets a leading ' (OWASP's advice for CSV injection). */
export function defuse(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

type Row = Pick<
  typeof orders.$inferSelect,
  | "id"
  | "createdAt"
  | "paidAt"
  | "deliveredAt"
  | "customerId"
  | "sku"
  | "product"
  | "quantity"
  | "amount"
  | "currency"
  | "originalAmount"
  | "promoCode"
  | "paymentMethod"
  | "status"
  | "refundedAmount"
  | "supplierReference"
  | "supplierOrderId"
>;

function cells(order: Row): string[] {
  const money = (amount: number | null) => (amount === null ? "" : toDecimal({ amount, currency: order.currency }));
  return [
    order.id,
    iso(order.createdAt),
    iso(order.paidAt),
    iso(order.deliveredAt),
    String(order.customerId),
    order.sku,
    order.product.name,
    String(order.quantity),
    money(order.amount),
    order.currency,
    money(order.originalAmount),
    order.promoCode ?? "",
    order.paymentMethod,
    order.status,
    money(order.refundedAmount),
    // The reference the shop sent the supplier (the order id, or its suffix after a failover), and the supplier's id.
    order.supplierReference ?? "",
    order.supplierOrderId ?? "",
  ].map(defuse);
}

export interface ExportRange {
  /** Inclusive, ms (the start of the first UTC day). */
  from: number;
  /** Exclusive, ms (the start of the day after the last). */
  to: number;
}

/** "YYYY-MM-DD [YYYY-MM-DD]" → the range of days (both inclusive); no dates: everything up to now. */
export function parseExportRange(text: string, now: number): { ok: true; range: ExportRange } | { ok: false; message: string } {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length > 2) return { ok: false, message: "Use: /export [from] [to], dates as YYYY-MM-DD (UTC, both included)." };
  const day = (value: string): number | undefined => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : ms;
  };
  const from = parts[0] === undefined ? 0 : day(parts[0]);
  const last = parts[1] === undefined ? undefined : day(parts[1]);
  if (from === undefined || (parts[1] !== undefined && last === undefined)) return { ok: false, message: "Dates are YYYY-MM-DD, e.g. /export 2026-01-01 2026-01-31." };
  const to = last === undefined ? now + 1 : last + 86_400_000;
  if (to <= from) return { ok: false, message: "The last day comes before the first." };
  return { ok: true, range: { from, to } };
}

/**
 * The CSV, in chunks: the header, then one chunk per batch of orders (oldest first). Each batch is a query of its
 * own, so nothing holds the connection between chunks (the shop keeps working while the file is uploaded).
 */
export async function* exportOrdersCsv(db: Db, range: ExportRange): AsyncGenerator<Uint8Array> {
  yield Buffer.from(stringify([[...EXPORT_COLUMNS]]), "utf8");
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const rows: Row[] = db
      .select()
      .from(orders)
      .where(
        and(
          gte(orders.createdAt, range.from),
          lt(orders.createdAt, range.to),
          after ? or(gt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), gt(orders.id, after.id))) : undefined,
        ),
      )
      .orderBy(asc(orders.createdAt), asc(orders.id))
      .limit(BATCH)
      .all();
    if (rows.length === 0) return;
    yield Buffer.from(stringify(rows.map(cells)), "utf8");
    const last = rows.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
    if (rows.length < BATCH) return;
    // Let the bot and the worker in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** How many orders a range holds (for the document's caption). */
export function countOrdersIn(db: Db, range: ExportRange): number {
  return db.select({ n: count() }).from(orders).where(and(gte(orders.createdAt, range.from), lt(orders.createdAt, range.to))).get()?.n ?? 0;
}
