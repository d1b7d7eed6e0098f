// /sync's look at Reloadly: the catalog's Reloadly gift card sources checked against Reloadly's GET /products
// (does the product exist, is the unit price one of its denominations or within its range), so a typo shows up
// before a customer pays for it.
import type { Db } from "../db/connection.js";
import { products } from "../db/schema.js";
import type { ReloadlyProduct } from "../supplier/reloadly/schemas.js";
import { isReloadlyTopup, sourcesOf } from "../supplier/sources.js";

export interface ReloadlyCheck {
  /** Gift card sources checked. */
  checked: number;
  /** One line per source that Reloadly would refuse. */
  problems: string[];
}

export function checkReloadlySources(db: Db, offered: ReloadlyProduct[]): ReloadlyCheck {
  const byId = new Map(offered.map((product) => [product.productId, product]));
  const report: ReloadlyCheck = { checked: 0, problems: [] };
  for (const row of db.select({ sku: products.sku, sources: products.sources, enabled: products.enabled }).from(products).all()) {
    if (!row.enabled) continue;
    for (const source of sourcesOf(row)) {
      if (source.supplier !== "reloadly" || isReloadlyTopup(source)) continue;
      report.checked += 1;
      const product = byId.get(source.product_id);
      if (!product) {
        report.problems.push(`${row.sku}: Reloadly has no gift card product ${source.product_id}`);
        continue;
      }
      const price = source.unit_price;
      if (product.denominationType === "FIXED") {
        const fixed = product.fixedRecipientDenominations ?? [];
        if (!fixed.includes(price)) report.problems.push(`${row.sku}: ${price} is not a denomination of ${product.productName} (${fixed.join(", ")} ${product.recipientCurrencyCode})`);
      } else {
        const min = product.minRecipientDenomination ?? 0;
        const max = product.maxRecipientDenomination ?? Infinity;
        if (price < min || price > max) report.problems.push(`${row.sku}: ${price} is outside ${product.productName}'s range (${min}–${max} ${product.recipientCurrencyCode})`);
      }
    }
  }
  return report;
}
