// What an admin changes on a product from the bot (/product): on/off, the price, the Stars price. Each is written
// twice: the column customers' screens read, and an admin override (admin_price, admin_stars_price, admin_enabled)
// that the catalog file sync keeps over the file's value and the supplier sync keeps over its markup price, so that
// a restart or a sync never silently reverts what an admin decided. A price at or below the supplier's cost is
// refused.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { orders, products } from "../db/schema.js";
import { formatMoney, type Money } from "../lib/money.js";
import { getProduct, type ProductRow } from "./catalog.js";

/**
 * The supplier's cost of one unit, where the shop knows it: the last catalog sync's figure, else what the supplier
 * charged for the product's latest order.
 */
export function unitCostOf(db: Db, product: Pick<ProductRow, "sku" | "costAmount" | "costCurrency">): Money | undefined {
  if (product.costAmount !== null && product.costCurrency) return { amount: product.costAmount, currency: product.costCurrency };
  const last = db
    .select({ amount: orders.supplierCostAmount, currency: orders.supplierCostCurrency, quantity: orders.quantity })
    .from(orders)
    .where(and(eq(orders.sku, product.sku), isNotNull(orders.supplierCostAmount), isNotNull(orders.supplierCostCurrency)))
    .orderBy(desc(orders.createdAt))
    .limit(1)
    .get();
  if (!last?.amount || !last.currency) return undefined;
  return { amount: Math.ceil(last.amount / Math.max(1, last.quantity)), currency: last.currency };
}

/** The margin of a price over a cost in percent of the price (one decimal), when both are in one currency. */
export function marginPercent(price: Money, cost: Money | undefined): number | undefined {
  if (!cost || cost.currency.toUpperCase() !== price.currency.toUpperCase() || price.amount <= 0) return undefined;
  return Math.round(((price.amount - cost.amount) * 1000) / price.amount) / 10;
}

export type PriceCheck = { ok: true; product: ProductRow; cost: Money | undefined } | { ok: false; message: string };

/** Whether `amount` (minor units of the product's currency) may become the product's price. */
export function checkNewPrice(db: Db, sku: string, amount: number): PriceCheck {
  const product = getProduct(db, sku);
  if (!product) return { ok: false, message: `No product ${sku}.` };
  if (!Number.isSafeInteger(amount) || amount <= 0) return { ok: false, message: "A price must be more than 0." };
  const cost = unitCostOf(db, product);
  if (cost && cost.currency.toUpperCase() === product.priceCurrency.toUpperCase() && amount <= cost.amount) {
    const price = formatMoney({ amount, currency: product.priceCurrency });
    return { ok: false, message: `${price} is at or below the supplier's cost (${formatMoney(cost)}): every sale would lose money. Nothing was changed.` };
  }
  return { ok: true, product, cost };
}

/** Sets the price (and keeps it as the admin's over the catalog file and the markup rule). */
export function setProductPrice(db: Db, sku: string, amount: number, now: number): PriceCheck {
  const checked = checkNewPrice(db, sku, amount);
  if (!checked.ok) return checked;
  db.update(products).set({ priceAmount: amount, adminPrice: amount, updatedAt: now }).where(eq(products.sku, sku)).run();
  return { ...checked, product: getProduct(db, sku)! };
}

/** Sets the Stars price (whole Stars, 1 to 100,000), kept as the admin's. */
export function setStarsPrice(db: Db, sku: string, stars: number, now: number): { ok: true; product: ProductRow } | { ok: false; message: string } {
  if (!Number.isInteger(stars) || stars < 1 || stars > 100_000) return { ok: false, message: "A Stars price is a whole number from 1 to 100,000." };
  if (!getProduct(db, sku)) return { ok: false, message: `No product ${sku}.` };
  db.update(products).set({ starsPrice: stars, adminStarsPrice: stars, updatedAt: now }).where(eq(products.sku, sku)).run();
  return { ok: true, product: getProduct(db, sku)! };
}

/** Turns a product on or off for customers (a product the supplier sync added is enabled here), kept as the admin's. */
export function setProductEnabled(db: Db, sku: string, enabled: boolean, now: number): ProductRow | undefined {
  if (!getProduct(db, sku)) return undefined;
  db.update(products).set({ enabled, adminEnabled: enabled, updatedAt: now }).where(eq(products.sku, sku)).run();
  return getProduct(db, sku);
}

/** Every product, in catalog order, whose sku, name, category or brand contains `filter` (or on/off/out of stock). */
export function findProducts(db: Db, filter: string): ProductRow[] {
  const all = db.select().from(products).orderBy(products.sortOrder, products.sku).all();
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return all;
  if (wanted === "on") return all.filter((p) => p.enabled);
  if (wanted === "off") return all.filter((p) => !p.enabled);
  if (wanted === "out") return all.filter((p) => !p.inStock);
  return all.filter((p) => [p.sku, p.name, p.category, p.brand].some((field) => field.toLowerCase().includes(wanted)));
}
