// The catalog file: parsed and validated with zod at start (an error names the product and the field),
// then written to the products table, which the bot reads.
import { readFileSync } from "node:fs";
import { and, eq, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { perDatabase, type Db } from "../db/connection.js";
import { products, type RecipientRule } from "../db/schema.js";
import { isIsoCurrency } from "../lib/money.js";
import { productSourceSchema, sourceMismatch, type SupplierName } from "../supplier/sources.js";

const money = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be three capital letters, e.g. USD"),
});

const recipientRule = z
  .object({
    type: z.enum(["phone", "player_id", "email"]),
    pattern: z.string().refine((pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    }, "must be a valid regular expression"),
    hint: z.string().optional(),
  })
  .strict();

export const catalogProductSchema = z
  .object({
    sku: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,47}$/i, "must be 2–48 letters, digits, dots, dashes or underscores"),
    name: z.string().min(1).max(64),
    category: z.string().min(1).max(40),
    /** The family shown before the denominations; products without one stand alone. */
    brand: z.string().min(1).max(40).optional(),
    kind: z.enum(["code", "topup"]),
    face_value: money,
    price: money.refine((value) => isIsoCurrency(value.currency), "currency must be an ISO 4217 code Stripe can charge"),
    /** The price in Telegram Stars, for PAYMENT_METHODS=stars. */
    stars_price: z.number().int().min(1).max(100_000).optional(),
    requires_pin: z.boolean().default(false),
    recipient: recipientRule.nullable().optional(),
    instructions: z.string().min(1).max(1000),
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
});

export type CatalogProduct = z.infer<typeof catalogProductSchema>;

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
 * Writes the catalog to the products table: new products added, changed ones updated, products no
 * longer in the file disabled (never deleted: old orders and old buttons still point at them).
 */
export function syncCatalog(db: Db, catalog: CatalogProduct[], now: number): void {
  db.transaction((tx) => {
    catalog.forEach((product, position) => {
      const row = {
        sku: product.sku,
        name: product.name,
        category: product.category,
        brand: product.brand ?? product.name,
        kind: product.kind,
        faceValueAmount: product.face_value.amount,
        faceValueCurrency: product.face_value.currency,
        priceAmount: product.price.amount,
        priceCurrency: product.price.currency,
        starsPrice: product.stars_price ?? null,
        priceSource: "file",
        requiresPin: product.requires_pin,
        recipientRule: (product.recipient ?? null) as RecipientRule | null,
        instructions: product.instructions,
        maxQuantity: product.max_quantity,
        sources: product.sources ?? null,
        enabled: product.enabled,
        sortOrder: position,
        updatedAt: now,
      };
      tx.insert(products).values(row).onConflictDoUpdate({ target: products.sku, set: row }).run();
    });
    // Products the file no longer lists are disabled, unless the supplier sync added them (the operator
    // enables those in the database, not in the file).
    const skus = catalog.map((product) => product.sku);
    tx.update(products).set({ enabled: false, updatedAt: now }).where(and(notInArray(products.sku, skus), eq(products.priceSource, "file"))).run();
  });
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
