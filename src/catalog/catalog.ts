// The catalog file: parsed and validated with zod at start (an error names the product, the field and, for a
// text, the language), then written to the products table, which the bot reads. Every customer-facing text
// is a plain string (English, the same for everyone) or an object keyed by locale.
import { readFileSync } from "node:fs";
import { and, eq, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { perDatabase, type Db } from "../db/connection.js";
import { products, type LocalizedText, type LocalizedUnit, type ProductDetails, type ProductLabels, type ProductTexts, type RecipientRule } from "../db/schema.js";
import { DEFAULT_LOCALE, isShippedLocale, SHIPPED_LOCALES } from "../lib/locales.js";
import { isIsoCurrency } from "../lib/money.js";
import { categoryKey } from "./queries.js";
import { productSourceSchema, sourceMismatch, type SupplierName } from "../supplier/sources.js";
import { compileRecipientPattern, loadRecipientPatterns, type RefusedPattern } from "./recipient-patterns.js";

const money = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be three capital letters, e.g. USD"),
});

/** Checks the locales of a by-locale object: English present (the fallback), every key a shipped locale. */
function checkLocales(value: unknown, ctx: z.RefinementCtx): void {
  if (typeof value !== "object" || value === null) return;
  if (!(DEFAULT_LOCALE in value)) {
    ctx.addIssue({ code: "custom", path: [], message: `has no "${DEFAULT_LOCALE}" text (missing locale "${DEFAULT_LOCALE}": English is what every other language falls back to)` });
  }
  for (const locale of Object.keys(value)) {
    if (!isShippedLocale(locale)) ctx.addIssue({ code: "custom", path: [locale], message: `"${locale}" is not a shipped locale (${SHIPPED_LOCALES.join(", ")})` });
  }
}

/** A text customers read: one string for everyone, or { "en": …, "ru": … }. */
const localized = (max: number) =>
  z.union([z.string().min(1).max(max), z.record(z.string(), z.string().min(1).max(max))]).superRefine(checkLocales);

const PLURAL_CATEGORIES = ["zero", "one", "two", "few", "many", "other"] as const;
const unitForms = z.union([
  z.string().min(1).max(32),
  z
    .record(z.string(), z.string().min(1).max(32))
    .superRefine((forms, ctx) => {
      if (!("other" in forms)) ctx.addIssue({ code: "custom", path: [], message: 'plural forms need "other" (used for every count without its own form)' });
      for (const key of Object.keys(forms)) {
        if (!(PLURAL_CATEGORIES as readonly string[]).includes(key)) ctx.addIssue({ code: "custom", path: [key], message: `is not a plural category (${PLURAL_CATEGORIES.join(", ")})` });
      }
    }),
]);

/** The word for a unit by locale ("Diamonds", "алмазов"), each a string or plural forms by CLDR category. */
const localizedUnit = z.union([z.string().min(1).max(32), z.record(z.string(), unitForms)]).superRefine(checkLocales);

/** Money ({ amount, currency }), or a count of something that is not money ({ amount, unit }: game diamonds). */
const faceValue = z
  .object({
    amount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be three capital letters, e.g. USD").refine(isIsoCurrency, 'must be an ISO 4217 currency; a game currency takes a "unit" instead').optional(),
    unit: localizedUnit.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.currency === undefined) === (value.unit === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: 'give either "currency" (money) or "unit" (a game currency, e.g. { "en": "Diamonds", "ru": "алмазов" })' });
    }
  });

const recipientRule = z
  .object({
    type: z.enum(["phone", "player_id", "email"]),
    // Checked and compiled here, at load: invalid, too long or open to catastrophic backtracking is refused.
    pattern: z.string().superRefine((pattern, ctx) => {
      const verdict = compileRecipientPattern(pattern);
      if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.reason });
    }),
    hint: localized(300).optional(),
  })
  .strict();

export const catalogProductSchema = z
  .object({
    sku: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,47}$/i, "must be 2–48 letters, digits, dots, dashes or underscores"),
    name: localized(64),
    category: localized(40),
    /** The family shown before the denominations; products without one stand alone. */
    brand: localized(40).optional(),
    kind: z.enum(["code", "topup"]),
    face_value: faceValue,
    price: money.refine((value) => isIsoCurrency(value.currency), "currency must be an ISO 4217 code Stripe can charge"),
    /** The price in Telegram Stars, for PAYMENT_METHODS=stars. */
    stars_price: z.number().int().min(1).max(100_000).optional(),
    requires_pin: z.boolean().default(false),
    recipient: recipientRule.nullable().optional(),
    instructions: localized(1000),
    max_quantity: z.number().int().min(1).max(10).default(1),
    /** Where the product comes from, tried in order; left out: the generic supplier with this sku. */
    sources: z.array(productSourceSchema).min(1).max(10).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((product, ctx) => {
    if (product.kind === "topup" && !product.recipient) {
      ctx.addIssue({ code: "custom", path: ["recipient"], message: "a top-up needs a recipient rule ({ type, pattern })" });
    }
    if (product.kind === "code" && product.recipient) {
      ctx.addIssue({ code: "custom", path: ["recipient"], message: "a code product takes no recipient" });
    }
    if (product.kind === "topup" && product.max_quantity !== 1) {
      ctx.addIssue({ code: "custom", path: ["max_quantity"], message: "a top-up is sold one at a time" });
    }
    if (product.price.amount === 0) {
      ctx.addIssue({ code: "custom", path: ["price", "amount"], message: "must be more than 0" });
    }
    product.sources?.forEach((source, index) => {
      const mismatch = sourceMismatch(product.kind, source);
      if (mismatch) ctx.addIssue({ code: "custom", path: ["sources", index], message: mismatch });
    });
  });

export const catalogSchema = z.object({ products: z.array(catalogProductSchema).min(1) }).superRefine((catalog, ctx) => {
  const seen = new Set<string>();
  catalog.products.forEach((product, index) => {
    if (seen.has(product.sku)) ctx.addIssue({ code: "custom", path: ["products", index, "sku"], message: "appears twice" });
    seen.add(product.sku);
  });
  // A category (or a brand within it) is one thing whatever product names it: its translations must agree.
  const groups = new Map<string, { sku: string; text: LocalizedText }>();
  catalog.products.forEach((product, index) => {
    const brand = product.brand ?? product.name;
    // A product whose English is missing is already reported; its keys would mean nothing.
    if (!englishOf(product.category) || !englishOf(brand)) return;
    const category = categoryKey(englishOf(product.category));
    for (const [field, key, value] of [["category", category, product.category], ["brand", `${category}/${categoryKey(englishOf(brand))}`, brand]] as const) {
      if (field === "brand" && product.brand === undefined) continue;
      const text = asLocalized(value);
      const first = groups.get(`${field}:${key}`);
      if (!first) {
        groups.set(`${field}:${key}`, { sku: product.sku, text });
        continue;
      }
      for (const [locale, words] of Object.entries(text)) {
        const earlier = first.text[locale];
        if (earlier !== undefined && earlier !== words) {
          ctx.addIssue({ code: "custom", path: ["products", index, field, locale], message: `"${words}" differs from product "${first.sku}", which calls the same ${field} "${earlier}"` });
        } else if (earlier === undefined) first.text[locale] = words;
      }
    }
  });
});

export type CatalogProduct = z.infer<typeof catalogProductSchema>;

type Localizable = string | Record<string, string>;

/** The English of a text from the file ("" only while validation is still reporting that it has none). */
function englishOf(text: Localizable): string {
  return typeof text === "string" ? text : (text[DEFAULT_LOCALE] ?? "");
}

function asLocalized(text: Localizable): LocalizedText {
  return typeof text === "string" ? { en: text } : ({ ...text } as LocalizedText);
}

/** The customer-facing texts of a product from the file, by locale. */
export function textsOf(product: CatalogProduct): ProductTexts {
  return {
    name: asLocalized(product.name),
    category: asLocalized(product.category),
    brand: asLocalized(product.brand ?? product.name),
    instructions: asLocalized(product.instructions),
    ...(product.recipient?.hint !== undefined ? { hint: asLocalized(product.recipient.hint) } : {}),
    ...(product.face_value.unit !== undefined
      ? { unit: (typeof product.face_value.unit === "string" ? { en: product.face_value.unit } : product.face_value.unit) as LocalizedUnit }
      : {}),
  };
}

export interface MissingTranslation {
  sku: string;
  field: string;
  locale: string;
}

/** Every text of the catalog that a shipped locale has no translation of (its customers read English there). */
export function missingTranslations(catalog: CatalogProduct[]): MissingTranslation[] {
  const missing: MissingTranslation[] = [];
  for (const product of catalog) {
    const fields: Array<[string, unknown]> = [
      ["name", product.name],
      ["category", product.category],
      ["brand", product.brand],
      ["instructions", product.instructions],
      ["recipient.hint", product.recipient?.hint],
      ["face_value.unit", product.face_value.unit],
    ];
    for (const [field, value] of fields) {
      if (value === undefined) continue;
      for (const locale of SHIPPED_LOCALES) {
        if (typeof value === "string" ? locale !== DEFAULT_LOCALE : !(locale in (value as object))) missing.push({ sku: product.sku, field, locale });
      }
    }
  }
  return missing;
}

export class CatalogError extends Error {
  override readonly name = "CatalogError";
}

/** Validates a parsed catalog; the error says which product (by sku when it has one) and which field. */
export function parseCatalog(data: unknown, source = "catalog"): CatalogProduct[] {
  const result = catalogSchema.safeParse(data);
  if (result.success) return result.data.products;
  const issue = result.error.issues[0]!;
  const [top, index, ...field] = issue.path;
  if (top === "products" && typeof index === "number") {
    const raw = (data as { products?: Array<{ sku?: unknown }> }).products?.[index];
    const who = typeof raw?.sku === "string" ? `product "${raw.sku}"` : `product #${index + 1}`;
    throw new CatalogError(`${source}: ${who}, field "${field.join(".") || "(whole)"}": ${issue.message}`);
  }
  throw new CatalogError(`${source}: ${issue.path.join(".") || "(whole file)"}: ${issue.message}`);
}

export function readCatalogFile(path: string): CatalogProduct[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CatalogError(`${path}: cannot read the catalog file (${(error as Error).message}); set CATALOG_PATH`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseCatalog(data, path);
}

/** The short texts every catalog screen reads, apart from the longer ones only a product's own screens read. */
function splitTexts({ instructions, hint, ...labels }: ProductTexts): { labels: ProductLabels; details: ProductDetails } {
  return { labels, details: { instructions, ...(hint ? { hint } : {}) } };
}

/** How to configure each supplier, for the start-up error that names a product using one that is not. */
const SUPPLIER_SETTINGS: Record<SupplierName, string> = {
  generic: "set SUPPLIER_API_URL, SUPPLIER_API_KEY and SUPPLIER_WEBHOOK_SECRET",
  reloadly: "set RELOADLY_CLIENT_ID and RELOADLY_CLIENT_SECRET",
  stock: "",
};

/**
 * Checks at start that every product can be fulfilled by a configured supplier: its sources name only
 * configured ones, and a product without sources has the generic supplier. Throws a one-line CatalogError that
 * names the product.
 */
export function checkSuppliersConfigured(catalog: CatalogProduct[], configured: ReadonlySet<SupplierName>, source = "catalog"): void {
  for (const product of catalog) {
    if (!product.sources) {
      if (!configured.has("generic")) {
        throw new CatalogError(
          `${source}: product "${product.sku}" has no "sources", so it is ordered from the generic supplier, which is not configured: ${SUPPLIER_SETTINGS.generic}, or give the product sources`,
        );
      }
      continue;
    }
    const missing = product.sources.find((entry) => !configured.has(entry.supplier));
    if (missing) {
      throw new CatalogError(`${source}: product "${product.sku}" lists the source "${missing.supplier}", which is not configured: ${SUPPLIER_SETTINGS[missing.supplier]}, or remove the source`);
    }
  }
}

/**
 * Writes the catalog to the products table: new products added, changed ones updated (except what an admin set in
 * the bot: price, Stars price, on/off), products no longer in the file disabled (never deleted: old orders and old buttons still point at them). Then compiles
 * the recipient pattern of every product in the table for the checkout; returns the patterns it refused
 * (products the supplier sync added before a pattern was checked: they take no recipient until fixed).
 */
export function syncCatalog(db: Db, catalog: CatalogProduct[], now: number): RefusedPattern[] {
  // A category or brand reads the same on every product that names it: the translations any of them give.
  const shared = new Map<string, LocalizedText>();
  const texts = catalog.map((product) => {
    const own = textsOf(product);
    const category = categoryKey(own.category.en);
    const merge = (key: string, text: LocalizedText) => {
      const merged = shared.get(key) ?? { en: text.en };
      for (const [locale, words] of Object.entries(text)) merged[locale] ??= words;
      shared.set(key, merged);
      return merged;
    };
    return { ...own, category: merge(`category:${category}`, own.category), brand: merge(`brand:${category}/${categoryKey(own.brand.en)}`, own.brand) };
  });
  db.transaction((tx) => {
    catalog.forEach((product, position) => {
      const row = {
        sku: product.sku,
        name: englishOf(product.name),
        category: englishOf(product.category),
        brand: englishOf(product.brand ?? product.name),
        kind: product.kind,
        faceValueAmount: product.face_value.amount,
        faceValueCurrency: product.face_value.currency ?? "",
        priceAmount: product.price.amount,
        priceCurrency: product.price.currency,
        starsPrice: product.stars_price ?? null,
        priceSource: "file",
        requiresPin: product.requires_pin,
        recipientRule: (product.recipient ? { ...product.recipient, hint: product.recipient.hint === undefined ? undefined : englishOf(product.recipient.hint) } : null) as RecipientRule | null,
        instructions: englishOf(product.instructions),
        ...splitTexts(texts[position]!),
        maxQuantity: product.max_quantity,
        sources: product.sources ?? null,
        enabled: product.enabled,
        sortOrder: position,
        updatedAt: now,
      };
      // What an admin set in the bot (price, Stars price, on/off) stays over the file's value (admin-products.ts).
      tx.insert(products)
        .values(row)
        .onConflictDoUpdate({
          target: products.sku,
          set: {
            ...row,
            priceAmount: sql`coalesce(${products.adminPrice}, excluded.price_amount)`,
            starsPrice: sql`coalesce(${products.adminStarsPrice}, excluded.stars_price)`,
            enabled: sql`coalesce(${products.adminEnabled}, excluded.enabled)`,
          },
        })
        .run();
    });
    // Products the file no longer lists are disabled, unless the supplier sync added them (the operator
    // enables those in the database, not in the file).
    const skus = catalog.map((product) => product.sku);
    tx.update(products).set({ enabled: false, updatedAt: now }).where(and(notInArray(products.sku, skus), eq(products.priceSource, "file"))).run();
  });
  return loadRecipientPatterns(db, db.select({ sku: products.sku, recipientRule: products.recipientRule }).from(products).all());
}

export type ProductRow = typeof products.$inferSelect;

const bySku = perDatabase((db) => db.select().from(products).where(eq(products.sku, sql.placeholder("sku"))).prepare());

export function getProduct(db: Db, sku: string): ProductRow | undefined {
  return bySku(db).get({ sku });
}

/** Enabled by the operator and in stock at the supplier. */
export function isForSale(product: Pick<ProductRow, "enabled" | "inStock">): boolean {
  return product.enabled && product.inStock;
}
