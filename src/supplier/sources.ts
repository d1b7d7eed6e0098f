// Where a product can come from: the `sources` of a catalog product, tried in order (docs/SUPPLIERS.md).
// Each supplier reads its own fields; a product without sources uses the generic supplier with its own sku.
import { z } from "zod";

export const SUPPLIER_NAMES = ["generic", "reloadly", "stock"] as const;
export type SupplierName = (typeof SUPPLIER_NAMES)[number];

/** A decimal price in major units as Reloadly takes it (25, 9.99): at most two decimals, never a float typo. */
const decimalAmount = z
  .union([z.number(), z.string().regex(/^\d{1,9}(\.\d{1,2})?$/)], {
    error: (issue) => (issue.input === undefined ? "is required" : "must be a number with at most two decimals, e.g. 25 or 9.99"),
  })
  .transform((value) => Number(value))
  .refine((value) => Number.isFinite(value) && value > 0 && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, "must be more than 0, with at most two decimals");

export const genericSourceSchema = z
  .object({
    supplier: z.literal("generic"),
    /** The supplier's SKU; the product's own sku when left out. */
    sku: z.string().min(1).max(128).optional(),
  })
  .strict();

export const reloadlyGiftCardSourceSchema = z
  .object({
    supplier: z.literal("reloadly"),
    /** Reloadly's productId (GET /products). */
    product_id: z.number().int().positive(),
    /** The card's face value in the card's currency: one of its fixed denominations, or within its range. */
    unit_price: decimalAmount,
    /** ISO code of the sender's country (optional on Reloadly's side). */
    country_code: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .strict();

export const reloadlyTopupSourceSchema = z
  .object({
    supplier: z.literal("reloadly"),
    /** Reloadly's operatorId (GET /operators). */
    operator_id: z.number().int().positive(),
    /** What to send: in the account's currency, or in the operator's when use_local_amount is true. */
    amount: decimalAmount,
    use_local_amount: z.boolean().default(false),
    /** ISO code of the recipient's country; looked up from the operator when left out. */
    country_code: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .strict();

export const stockSourceSchema = z
  .object({
    supplier: z.literal("stock"),
    /** The stock pool; the product's own sku when left out (`/stock add <sku>` fills it). */
    sku: z.string().min(1).max(64).optional(),
  })
  .strict();

/** One source; the supplier's name picks the schema, so an error names the field that is wrong. */
export const productSourceSchema = z
  .looseObject({ supplier: z.enum(SUPPLIER_NAMES, `must be one of ${SUPPLIER_NAMES.join(", ")}`) })
  .transform((value, ctx): GenericSource | ReloadlyGiftCardSource | ReloadlyTopupSource | StockSource => {
    const schema =
      value.supplier === "generic" ? genericSourceSchema : value.supplier === "stock" ? stockSourceSchema : "operator_id" in value ? reloadlyTopupSourceSchema : reloadlyGiftCardSourceSchema;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });

export type GenericSource = z.infer<typeof genericSourceSchema>;
export type ReloadlyGiftCardSource = z.infer<typeof reloadlyGiftCardSourceSchema>;
export type ReloadlyTopupSource = z.infer<typeof reloadlyTopupSourceSchema>;
export type ReloadlySource = ReloadlyGiftCardSource | ReloadlyTopupSource;
export type StockSource = z.infer<typeof stockSourceSchema>;
export type ProductSource = z.infer<typeof productSourceSchema>;

export function isReloadlyTopup(source: ReloadlySource): source is ReloadlyTopupSource {
  return "operator_id" in source;
}

/** A product's sources in the order they are tried; none listed means the generic supplier with the product's sku. */
export function sourcesOf(product: { sku: string; sources?: ProductSource[] | null | undefined }): ProductSource[] {
  return product.sources && product.sources.length > 0 ? product.sources : [{ supplier: "generic", sku: product.sku }];
}

/** Why a source cannot serve a product of this kind, or null when it can. */
export function sourceMismatch(kind: "code" | "topup", source: ProductSource): string | null {
  if (source.supplier === "stock" && kind !== "code") return "the shop's stock holds codes; a top-up cannot come from it";
  if (source.supplier === "reloadly") {
    if (kind === "code" && isReloadlyTopup(source)) return "a Reloadly top-up source (operator_id) cannot sell a code product; use product_id and unit_price";
    if (kind === "topup" && !isReloadlyTopup(source)) return "a Reloadly gift card source (product_id) cannot sell a top-up; use operator_id and amount";
  }
  return null;
}

/** A short name for logs, the event log and /order: "reloadly #5 @ 25", "stock", "generic steam-20-usd". */
export function describeSource(source: ProductSource, productSku: string): string {
  switch (source.supplier) {
    case "generic":
      return `generic ${source.sku ?? productSku}`;
    case "stock":
      return `stock ${source.sku ?? productSku}`;
    case "reloadly":
      return isReloadlyTopup(source) ? `reloadly operator ${source.operator_id} · ${source.amount}${source.use_local_amount ? " local" : ""}` : `reloadly product ${source.product_id} · ${source.unit_price}`;
  }
}
