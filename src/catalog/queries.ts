// What the bot shows: enabled products grouped by category, in catalog order. Categories and brands are
// keyed by their English name, so callback data and deep links are the same in every language.
import { and, asc, eq, getTableColumns } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { products, type LocalizedText } from "../db/schema.js";
import type { ProductRow } from "./catalog.js";

/** A short, stable key for a category name, fit for callback data. */
export function categoryKey(category: string): string {
  return (
    category
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 24) || "other"
  );
}

export interface CategoryEntry {
  key: string;
  /** The English name. */
  name: string;
  /** The name by locale (English only for products the catalog file did not write). */
  texts: LocalizedText;
  count: number;
}

/** A product as the catalog screens list it: everything but the longer texts (details), which they never show. */
export type ListedProduct = Omit<ProductRow, "details">;

const { details: _details, ...listedColumns } = getTableColumns(products);

// Out of stock at the supplier: hidden until the next sync says otherwise.
const forSale = perDatabase((db) =>
  db.select(listedColumns).from(products).where(and(eq(products.enabled, true), eq(products.inStock, true))).orderBy(asc(products.sortOrder)).prepare(),
);

/** Every product for sale in catalog order (a prepared statement: the catalog is read on every tap). */
export function listEnabledProducts(db: Db): ListedProduct[] {
  return forSale(db).all();
}

export function listCategories(db: Db): CategoryEntry[] {
  const rows = listEnabledProducts(db);
  const categories = new Map<string, CategoryEntry>();
  for (const { category, labels } of rows) {
    const key = categoryKey(category);
    const entry = categories.get(key) ?? { key, name: category, texts: labels?.category ?? { en: category }, count: 0 };
    entry.count += 1;
    categories.set(key, entry);
  }
  return [...categories.values()];
}

export function listProductsInCategory(db: Db, key: string): ListedProduct[] {
  return listEnabledProducts(db).filter((product) => categoryKey(product.category) === key);
}

export interface BrandEntry {
  key: string;
  /** The English name. */
  name: string;
  texts: LocalizedText;
  category: string;
  categoryTexts: LocalizedText;
  products: ListedProduct[];
}

/** The brands of a category in catalog order, each with its enabled denominations. */
export function listBrandsInCategory(db: Db, key: string): BrandEntry[] {
  const brands = new Map<string, BrandEntry>();
  for (const product of listProductsInCategory(db, key)) {
    const brandKey = categoryKey(product.brand);
    const entry = brands.get(brandKey) ?? {
      key: brandKey,
      name: product.brand,
      texts: product.labels?.brand ?? { en: product.brand },
      category: product.category,
      categoryTexts: product.labels?.category ?? { en: product.category },
      products: [],
    };
    entry.products.push(product);
    brands.set(brandKey, entry);
  }
  return [...brands.values()];
}
