// Catalog sync from the generic supplier's GET /catalog: products the shop does not know yet are added disabled
// for the operator to enable, priced by the markup rule; stock is mirrored (out of stock is hidden); the
// prices of products priced by the rule follow the supplier's cost (unless an admin set one in the bot), and a cost
// that rises to or above a price the rule does not follow is an alert. Orders keep the price they were sold at.
// Products with their own `sources` (Reloadly, the shop's stock) are the catalog file's business: left alone.
// A catalog far smaller than the one the shop knows (empty, truncated) changes nothing: ops are told instead.
import { eq, inArray } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { products } from "../db/schema.js";
import { formatMoney, minorDigits } from "../lib/money.js";
import type { Logger } from "../logger.js";
import type { Supplier } from "../supplier/types.js";
import { compileRecipientPattern, loadRecipientPatterns } from "./recipient-patterns.js";

/**
 * Below this share of the products the shop knows from the supplier, a catalog is taken as broken (an empty or
 * cut-off answer), not as the supplier delisting nearly everything at once: stock stays as it is.
 */
export const MIN_CATALOG_FRACTION = 0.5;

export interface MarkupRule {
  /** Percent over the supplier's cost. */
  percent: number;
}

/**
 * Cost plus markup, rounded up to a price people expect: x.00, x.49 or x.99 for currencies with cents, the
 * next 10 (less one) for whole-unit currencies. Integers in, integers out; never below cost plus markup.
 */
export function markupPrice(cost: number, currency: string, rule: MarkupRule): number {
  const raw = Math.ceil((cost * (100 + rule.percent)) / 100);
  if (minorDigits(currency) === 2) {
    const whole = Math.floor(raw / 100);
    const cents = raw % 100;
    return cents === 0 ? raw : cents <= 49 ? whole * 100 + 49 : whole * 100 + 99;
  }
  return Math.ceil((raw + 1) / 10) * 10 - 1;
}

export interface SyncReport {
  added: string[];
  repriced: Array<{ sku: string; from: number; to: number }>;
  outOfStock: string[];
  backInStock: string[];
  /** Products whose supplier cost rose to or above the price they are sold at (an admin's or the file's). */
  costAbovePrice: Array<{ sku: string; cost: number; price: number; currency: string }>;
  /** New products not added because their recipient pattern was refused (catastrophic backtracking, too long…). */
  refused: Array<{ sku: string; reason: string }>;
  /** Set when the catalog was too small to trust: nothing was changed. */
  distrusted?: string;
}

export interface SyncDeps {
  db: Db;
  supplier: Supplier;
  logger: Logger;
  now: () => number;
  /** Tells ops (the alert) about a catalog that was not applied, or products that were refused; or a cost above a price. */
  alert?: (text: string, kind?: "cost_above_price") => void;
}

export async function syncFromSupplier(deps: SyncDeps, rule: MarkupRule): Promise<SyncReport> {
  const catalog = await deps.supplier.getCatalog();
  const report: SyncReport = { added: [], repriced: [], outOfStock: [], backInStock: [], refused: [], costAbovePrice: [] };
  const now = deps.now();
  const all = deps.db.select().from(products).all();
  const known = new Map(all.map((product) => [product.sku, product]));
  // Only products ordered from the generic supplier by their sku follow its catalog.
  const routedHere = (product: (typeof all)[number]) => !product.sources || product.sources.length === 0;
  const offered = new Set(catalog.map((product) => product.sku));
  // Measured against the products that follow this catalog: Reloadly's and the stock's are never in it.
  const knownHere = all.filter(routedHere);
  const stillOffered = knownHere.filter((product) => offered.has(product.sku)).length;
  if (knownHere.length > 0 && stillOffered < knownHere.length * MIN_CATALOG_FRACTION) {
    report.distrusted = `the supplier's catalog lists ${stillOffered} of the ${knownHere.length} products the shop knows from it (${catalog.length} in all); below ${MIN_CATALOG_FRACTION * 100} % it is taken as empty or cut off, and stock was left as it was`;
    deps.logger.error({ offered: catalog.length, still_offered: stillOffered, known: knownHere.length }, "supplier catalog too small to trust; nothing changed");
    deps.alert?.(report.distrusted);
    return report;
  }
  deps.db.transaction((tx) => {
    for (const item of catalog) {
      const price = markupPrice(item.cost.amount, item.cost.currency, rule);
      const existing = known.get(item.sku);
      if (!existing) {
        const verdict = item.recipient ? compileRecipientPattern(item.recipient.pattern) : undefined;
        if (verdict && !verdict.ok) {
          report.refused.push({ sku: item.sku, reason: `recipient pattern ${verdict.reason}` });
          continue;
        }
        tx.insert(products)
          .values({
            sku: item.sku,
            name: item.name.slice(0, 64),
            category: item.kind === "code" ? "Gift cards" : "Top-ups",
            brand: item.name.slice(0, 40),
            kind: item.kind,
            faceValueAmount: item.face_value.amount,
            faceValueCurrency: item.face_value.currency,
            priceAmount: price,
            priceCurrency: item.cost.currency,
            requiresPin: item.requires_pin,
            recipientRule: item.recipient ? { type: item.recipient.type, pattern: item.recipient.pattern } : null,
            instructions: item.instructions ?? "See the supplier's instructions for this product.",
            maxQuantity: 1,
            enabled: false, // the operator reviews and enables it
            inStock: item.in_stock,
            priceSource: "markup",
            costAmount: item.cost.amount,
            costCurrency: item.cost.currency,
            sortOrder: 10_000 + known.size + report.added.length,
            updatedAt: now,
          })
          .run();
        report.added.push(item.sku);
        continue;
      }
      if (!routedHere(existing)) continue;
      const set: Partial<typeof products.$inferInsert> = {};
      if (existing.inStock !== item.in_stock) {
        set.inStock = item.in_stock;
        (item.in_stock ? report.backInStock : report.outOfStock).push(item.sku);
      }
      if (existing.costAmount !== item.cost.amount || existing.costCurrency !== item.cost.currency) {
        set.costAmount = item.cost.amount;
        set.costCurrency = item.cost.currency;
      }
      // A price an admin set in the bot is theirs: the markup rule no longer moves it.
      const ownPrice = existing.priceSource !== "markup" || existing.adminPrice !== null;
      if (!ownPrice && existing.priceAmount !== price) {
        set.priceAmount = price;
        report.repriced.push({ sku: item.sku, from: existing.priceAmount, to: price });
      }
      // The cost rose to or above a price the rule does not follow: each sale would lose money.
      const sameCurrency = item.cost.currency.toUpperCase() === existing.priceCurrency.toUpperCase();
      const wasBelow = existing.costAmount === null || existing.costCurrency !== item.cost.currency || existing.costAmount < existing.priceAmount;
      if (ownPrice && sameCurrency && item.cost.amount >= existing.priceAmount && wasBelow) report.costAbovePrice.push({ sku: item.sku, cost: item.cost.amount, price: existing.priceAmount, currency: existing.priceCurrency });
      if (Object.keys(set).length > 0) tx.update(products).set({ ...set, updatedAt: now }).where(eq(products.sku, item.sku)).run();
    }
    // What the supplier no longer offers cannot be bought.
    for (const product of known.values()) {
      if (routedHere(product) && !offered.has(product.sku) && product.inStock) {
        tx.update(products).set({ inStock: false, updatedAt: now }).where(eq(products.sku, product.sku)).run();
        report.outOfStock.push(product.sku);
      }
    }
  });
  loadRecipientPatterns(deps.db, deps.db.select({ sku: products.sku, recipientRule: products.recipientRule }).from(products).where(inArray(products.sku, report.added)).all());
  for (const { sku, cost, price, currency } of report.costAbovePrice) {
    deps.logger.warn({ sku, cost, price, currency }, "the supplier's cost rose to or above the price");
    deps.alert?.(`${sku}: the supplier's cost rose to ${formatMoney({ amount: cost, currency })}, at or above its price ${formatMoney({ amount: price, currency })}: each sale loses money. Raise it with /product ${sku} price <amount>, or turn it off.`, "cost_above_price");
  }
  for (const { sku, reason } of report.refused) {
    deps.logger.warn({ sku, reason }, "a product from the supplier's catalog was not added");
    deps.alert?.(`${sku} from the supplier's catalog was not added: its ${reason}`);
  }
  deps.logger.info({ added: report.added.length, repriced: report.repriced.length, out_of_stock: report.outOfStock.length }, "catalog synced from the supplier");
  return report;
}
