// Promo codes: a percent or an amount off an order's total, with optional limits (uses, an expiry day, one product or
// one category). Checked at checkout (the order's amount is the discounted one, and the payment check compares
// against it); a use is counted when the order is paid, in the transaction that records the payment. A code used up
// between an order's checkout and its payment still honours that order: the customer holds it already.
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { orders, products, promoCodes } from "../db/schema.js";
import { categoryKey } from "../catalog/queries.js";
import { formatMoney, isIsoCurrency, parseDecimal, type Money } from "../lib/money.js";
import type { Logger } from "../logger.js";
import type { Tx } from "../orders/state-machine.js";

export type PromoRow = typeof promoCodes.$inferSelect;

/** What a customer types, normalized: letters and digits (and - _), upper case. */
export function normalizeCode(text: string): string | undefined {
  const code = text.normalize("NFKC").trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9_-]{2,31}$/.test(code) ? code : undefined;
}

export interface PromoSpec {
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  maxUses: number | null;
  expiresAt: number | null;
  scope: string | null;
}

/** The last millisecond of a UTC day, for "YYYY-MM-DD"; undefined when it is not a real date. */
export function endOfDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(start).toISOString().slice(0, 10) !== text) return undefined;
  return start + 86_400_000 - 1;
}

/**
 * `<CODE> <percent|amount> [max uses] [expiry] [sku or category]`: "SPRING 10%", "FIVE 5 USD 100 2026-12-31 steam-20-usd".
 * An amount is in a currency (given, or the catalog's only one); the optional parts are told apart by their shape.
 */
export function parsePromoSpec(db: Db, text: string): { ok: true; spec: PromoSpec } | { ok: false; message: string } {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const code = normalizeCode(tokens.shift() ?? "");
  if (!code) return { ok: false, message: "A code is 3 to 32 letters, digits, - or _." };
  const discount = tokens.shift() ?? "";
  const spec: PromoSpec = { code, percentOff: null, amountOff: null, currency: null, maxUses: null, expiresAt: null, scope: null };
  const percent = /^(\d{1,2})%$/.exec(discount);
  if (percent) {
    spec.percentOff = Number(percent[1]);
    if (spec.percentOff < 1 || spec.percentOff > 99) return { ok: false, message: "A percent off is 1% to 99%." };
  } else {
    // "5", "5.00", "5USD", "5.00 USD".
    const joined = /^([\d.,]+)([A-Za-z]{3})?$/.exec(discount);
    if (!joined) return { ok: false, message: `"${discount}" is neither a percent (10%) nor an amount (5.00 or 5.00 USD).` };
    let currency = joined[2]?.toUpperCase();
    if (!currency && tokens[0] && /^[A-Z]{3}$/.test(tokens[0]) && isIsoCurrency(tokens[0])) currency = tokens.shift()!;
    if (!currency) {
      const currencies = db.selectDistinct({ currency: products.priceCurrency }).from(products).all();
      if (currencies.length !== 1) return { ok: false, message: `The catalog sells in ${currencies.map((c) => c.currency).join(", ")}: give the amount's currency, e.g. 5.00 USD.` };
      currency = currencies[0]!.currency;
    }
    if (!isIsoCurrency(currency)) return { ok: false, message: `${currency} is not a currency.` };
    const amount = parseDecimal(joined[1]!, currency);
    if (amount === undefined) return { ok: false, message: `"${joined[1]}" is not an amount in ${currency}.` };
    spec.amountOff = amount;
    spec.currency = currency;
  }
  const rest: string[] = [];
  for (const token of tokens) {
    if (/^\d{1,7}$/.test(token) && spec.maxUses === null) spec.maxUses = Number(token);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(token) && spec.expiresAt === null) {
      const end = endOfDay(token);
      if (end === undefined) return { ok: false, message: `${token} is not a date (YYYY-MM-DD).` };
      spec.expiresAt = end;
    } else rest.push(token);
  }
  if (spec.maxUses === 0) return { ok: false, message: "Max uses must be at least 1 (leave it out for no limit)." };
  if (rest.length > 0) {
    const wanted = rest.join(" ");
    const all = db.select({ sku: products.sku, category: products.category }).from(products).all();
    const product = all.find((p) => p.sku.toLowerCase() === wanted.toLowerCase());
    const category = all.find((p) => categoryKey(p.category) === categoryKey(wanted));
    if (product) spec.scope = product.sku;
    else if (category) spec.scope = categoryKey(category.category);
    else return { ok: false, message: `"${wanted}" is neither a product's sku nor a category of the catalog.` };
  }
  return { ok: true, spec };
}

export function getPromo(db: Db, code: string): PromoRow | undefined {
  return db.select().from(promoCodes).where(eq(promoCodes.code, code)).get();
}

/** Adds a code; a code that exists (even turned off) is refused, so a code's terms never change under an order. */
export function addPromo(db: Db, spec: PromoSpec, actor: string, now: number): { ok: true; promo: PromoRow } | { ok: false; message: string } {
  if (getPromo(db, spec.code)) return { ok: false, message: `${spec.code} exists already; codes keep their terms (turn it off and add another).` };
  if (spec.expiresAt !== null && spec.expiresAt < now) return { ok: false, message: `${new Date(spec.expiresAt).toISOString().slice(0, 10)} has passed: give a day to come.` };
  db.insert(promoCodes).values({ ...spec, uses: 0, active: true, createdBy: actor, createdAt: now }).run();
  return { ok: true, promo: getPromo(db, spec.code)! };
}

/** Turns a code off: refused at checkout from now on (orders that hold it keep their price). */
export function disablePromo(db: Db, code: string): boolean {
  return db.update(promoCodes).set({ active: false }).where(and(eq(promoCodes.code, code), eq(promoCodes.active, true))).run().changes > 0;
}

export function listPromos(db: Db): PromoRow[] {
  return db.select().from(promoCodes).orderBy(sql`${promoCodes.active} DESC`, promoCodes.createdAt).all();
}

/**
 * Unpaid, unexpired orders that hold the code: a use each may become, counted against the limit at checkout. The
 * orders `except` names (a customer's own for one product: the order they may be given back) are not counted.
 */
export function heldByOpenOrders(db: Db, code: string, now: number, except?: { customerId: number; sku: string }): number {
  const held = [eq(orders.promoCode, code), eq(orders.status, "awaiting_payment"), gt(orders.expiresAt, now)];
  if (except) held.push(sql`NOT (${orders.customerId} = ${except.customerId} AND ${orders.sku} = ${except.sku})`);
  return db.select({ n: count() }).from(orders).where(and(...held)).get()?.n ?? 0;
}

export type PromoRefusal = "unknown" | "expired" | "used_up" | "not_for_product";

/** "10%" or "$5.00": what a code takes off, for people. */
export function describeDiscount(promo: Pick<PromoRow, "percentOff" | "amountOff" | "currency">, locale = "en"): string {
  if (promo.percentOff !== null) return `${promo.percentOff}%`;
  return formatMoney({ amount: promo.amountOff ?? 0, currency: promo.currency ?? "" }, locale);
}

/**
 * The discounted total of an order, or why the code does not apply: unknown or off, past its day, used up (paid uses
 * and open orders holding it), for another product, or it would take the whole total. With `customerId`, that
 * customer's own open orders for this product are not counted as holding a use: the one they already hold may be
 * given back to them (the caller checks again without it before opening a new order).
 */
export function checkPromo(
  db: Db,
  code: string,
  product: { sku: string; category: string },
  total: Money,
  now: number,
  customerId?: number,
): { ok: true; promo: PromoRow; amount: number } | { ok: false; reason: PromoRefusal } {
  const normalized = normalizeCode(code);
  const promo = normalized ? getPromo(db, normalized) : undefined;
  if (!promo || !promo.active) return { ok: false, reason: "unknown" };
  if (promo.expiresAt !== null && now > promo.expiresAt) return { ok: false, reason: "expired" };
  const except = customerId === undefined ? undefined : { customerId, sku: product.sku };
  if (promo.maxUses !== null && promo.uses + heldByOpenOrders(db, promo.code, now, except) >= promo.maxUses) return { ok: false, reason: "used_up" };
  if (promo.scope !== null && promo.scope !== product.sku && promo.scope !== categoryKey(product.category)) return { ok: false, reason: "not_for_product" };
  const amount = discounted(promo, total);
  if (amount === undefined) return { ok: false, reason: "not_for_product" };
  return { ok: true, promo, amount };
}

/**
 * The total after the code, in minor units: a percent rounds the discount down (the shop never gives more than the
 * code says); an amount applies to a total in its own currency only. Undefined when nothing would be left to pay.
 */
export function discounted(promo: Pick<PromoRow, "percentOff" | "amountOff" | "currency">, total: Money): number | undefined {
  let amount: number;
  if (promo.percentOff !== null) amount = total.amount - Math.floor((total.amount * promo.percentOff) / 100);
  else {
    if (!promo.currency || promo.currency.toUpperCase() !== total.currency.toUpperCase() || promo.amountOff === null) return undefined;
    amount = total.amount - promo.amountOff;
  }
  return amount >= 1 ? amount : undefined;
}

/**
 * The Stars total of a discounted order: the same share off as the card total (a percent as it is; an amount, which is
 * in the product's currency, as the share it takes off the card total), rounded up to whole Stars, at least 1.
 */
export function discountedStars(stars: number, list: number, paid: number): number {
  if (list <= 0 || paid >= list) return stars;
  return Math.max(1, Math.ceil((stars * paid) / list));
}

/**
 * Counts a use of the order's code, in the transaction that records its payment. A code used up meanwhile still
 * honours the order (the customer holds it): that is logged, not refused.
 */
export function countPromoUse(tx: Tx, order: { id: string; promoCode: string | null }, logger: Logger): void {
  if (!order.promoCode) return;
  const row = tx
    .update(promoCodes)
    .set({ uses: sql`${promoCodes.uses} + 1` })
    .where(eq(promoCodes.code, order.promoCode))
    .returning({ uses: promoCodes.uses, maxUses: promoCodes.maxUses })
    .get();
  if (row?.maxUses != null && row.uses > row.maxUses) {
    logger.warn({ order_id: order.id, code: order.promoCode, uses: row.uses, max_uses: row.maxUses }, "a promo code was used beyond its limit by an order opened before it ran out; honoured");
  }
}
