// Products sold only from the shop's own stock are for sale while a code is left: their in_stock follows the
// stock after every import, reservation and release (and on the monitor's tick, as codes expire).
import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { products } from "../db/schema.js";
import { sourcesOf } from "../supplier/sources.js";
import { stockPool } from "../supplier/stock/adapter.js";
import { availableStock } from "../supplier/stock/store.js";

/** The stock pools a product draws on, in source order (none when it has no stock source). */
export function stockPoolsOf(product: { sku: string; sources: Parameters<typeof sourcesOf>[0]["sources"] }): string[] {
  return sourcesOf(product).flatMap((source) => (source.supplier === "stock" ? [stockPool(source, product.sku)] : []));
}

/** Sets in_stock of every stock-only product from its pools; returns the skus that changed. */
export function refreshStockAvailability(db: Db, nowMs: number): string[] {
  const changed: string[] = [];
  const rows = db.select({ sku: products.sku, sources: products.sources, inStock: products.inStock }).from(products).where(isNotNull(products.sources)).all();
  for (const row of rows) {
    const sources = sourcesOf(row);
    if (!sources.every((source) => source.supplier === "stock")) continue;
    const available = stockPoolsOf(row).some((pool) => availableStock(db, pool, nowMs) > 0);
    if (available !== row.inStock) {
      db.update(products).set({ inStock: available, updatedAt: nowMs }).where(eq(products.sku, row.sku)).run();
      changed.push(row.sku);
    }
  }
  return changed;
}

/** Pools that enabled products sell from, with the products that use each (for /stock and the low-stock alert). */
export function stockPoolsInUse(db: Db): Map<string, string[]> {
  const pools = new Map<string, string[]>();
  const rows = db.select({ sku: products.sku, sources: products.sources }).from(products).where(eq(products.enabled, true)).all();
  for (const row of rows) for (const pool of stockPoolsOf(row)) pools.set(pool, [...(pools.get(pool) ?? []), row.sku]);
  return pools;
}
