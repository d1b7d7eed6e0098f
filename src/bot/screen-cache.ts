// Rendered catalog screens (text and keyboard), kept per locale and screen until the catalog changes (the
// version that SQLite triggers keep on products and on sales pauses): browsing costs a version check instead of reading the whole catalog,
// grouping it and translating it again.
import { getProduct, isForSale } from "../catalog/catalog.js";
import { pauseOf } from "../catalog/pause.js";
import { catalogVersionReader } from "../catalog/version.js";
import type { Db } from "../db/connection.js";
import { backFromProduct, brandView, categoriesView, categoryView, productView, type T, type View } from "./views.js";

/**
 * The browsing screens of views.ts behind a cache. A screen is the same for every customer with the same
 * locale, so `t` must translate into `locale`. The views returned are shared: never change one in place.
 */
export interface ScreenCache {
  /** The categories, under `heading` (a locale key: the catalog's title, or why the customer is back here). */
  categories(t: T, locale: string, heading?: string): View;
  /** undefined: no such category (a stale button). */
  category(t: T, locale: string, key: string, page: number): View | undefined;
  brand(t: T, locale: string, category: string, brand: string, page: number): View | undefined;
  /** undefined: no such product, or not for sale now. */
  product(t: T, locale: string, sku: string): View | undefined;
}

export interface ScreenCacheOptions {
  /** Screens kept at most (page numbers come from callback data: a bound against made-up ones). */
  maxEntries?: number;
  /** See catalogVersionReader: how long a write by another process may go unseen. */
  recheckMs?: number;
  now?: () => number;
}

export function createScreenCache(db: Db, options: ScreenCacheOptions = {}): ScreenCache {
  const maxEntries = options.maxEntries ?? 2_000;
  const screens = new Map<string, View | undefined>();
  const catalogVersion = catalogVersionReader(db, options);
  let version = catalogVersion();

  function cached(key: string, render: () => View | undefined): View | undefined {
    const current = catalogVersion();
    if (current !== version) {
      screens.clear();
      version = current;
    }
    if (screens.has(key)) return screens.get(key);
    const view = render();
    if (screens.size >= maxEntries) screens.delete(screens.keys().next().value!);
    screens.set(key, view);
    return view;
  }

  return {
    categories: (t, locale, heading = "catalog-title") => cached(`${locale}|c|${heading}`, () => categoriesView(db, t, locale, heading))!,
    category: (t, locale, key, page) => cached(`${locale}|c:${key}:${page}`, () => categoryView(db, t, locale, key, page)),
    brand: (t, locale, category, brand, page) => cached(`${locale}|g:${category}:${brand}:${page}`, () => brandView(db, t, locale, category, brand, page)),
    product: (t, locale, sku) =>
      cached(`${locale}|p:${sku}`, () => {
        const product = getProduct(db, sku);
        return product && isForSale(product) ? productView(t, locale, product, backFromProduct(db, product), pauseOf(db, sku) !== undefined) : undefined;
      }),
  };
}
